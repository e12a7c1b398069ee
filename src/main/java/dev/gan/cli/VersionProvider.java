package dev.gan.cli;

import dev.gan.system.RuntimeInfo;
import picocli.CommandLine;

/** {@code gan --version}: the tool, DL4J and the backend in use. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
                "gan " + RuntimeInfo.ganVersion(),
                "Deeplearning4j " + RuntimeInfo.dl4jVersion() + ", ND4J backend " + RuntimeInfo.backend(),
                "Java " + System.getProperty("java.version")
        };
    }
}
