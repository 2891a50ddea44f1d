package io.transferlab.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/**
 * Stands in for a packaged Quarkus service in {@link QuarkusProcessTest}: listens on {@code quarkus.http.port},
 * answers {@code /q/health/ready}, says what it was given and whether its shutdown path ran.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("quarkus.http.port");
        System.out.println("port=" + port + " greeting=" + System.getenv("FAKE_GREETING") + " home="
                + System.getenv("HOME") + " colour=" + System.getProperty("fake.colour"));
        String exitCode = System.getProperty("fake.exit-code");
        if (exitCode != null) {
            System.out.println("dying on purpose");
            System.exit(Integer.parseInt(exitCode));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown path ran")));
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println("listening");
    }
}
