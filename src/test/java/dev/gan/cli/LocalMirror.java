package dev.gan.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A download mirror on 127.0.0.1 serving the files of one folder, and the names it served, in order. */
final class LocalMirror implements AutoCloseable {

    private final HttpServer server;
    private final List<String> served = new CopyOnWriteArrayList<>();

    LocalMirror(Path folder) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mnist/", exchange -> {
            String name = Path.of(exchange.getRequestURI().getPath()).getFileName().toString();
            served.add(name);
            byte[] body = Files.readAllBytes(folder.resolve(name));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The value for --mirror. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
    }

    List<String> served() {
        return List.copyOf(served);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
