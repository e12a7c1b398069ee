package dev.gan.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The default build carries the CPU backend only; the CUDA profile swaps it (checked by .ci/gpu-check). */
class BackendTest {

    @Test
    void theDefaultBuildHasTheCpuBackendAndNotCuda() {
        assertThat(Backend.CPU.inBuild()).isTrue();
        assertThat(Backend.CUDA.inBuild()).isFalse();
        assertThat(Backend.ofBuild()).isEqualTo(Backend.CPU);
    }

    @Test
    void startingTheBuildsBackendMakesRuntimeInfoReportIt() {
        Backend.start();

        assertThat(RuntimeInfo.backend()).isEqualTo("CPU");
        assertThat(RuntimeInfo.describe()).doesNotContainKey("cuda");
    }
}
