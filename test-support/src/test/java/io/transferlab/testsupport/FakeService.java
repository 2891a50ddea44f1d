package io.transferlab.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/**
 * Stands in for a packaged Quarkus service in {@link QuarkusProcessTest}: listens on {@code quarkus.http.port} (the
 * API, which has no health) and {@code quarkus.management.port} (which answers {@code /q/health/ready}), like a
 * service with Quarkus' management interface; says what it was given, the ports it bound (as Quarkus does; not with
 * {@code fake.silent-about-ports}) and whether its shutdown path ran.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("quarkus.http.port");
        int managementPort = Integer.getInteger("quarkus.management.port");
        System.out.println("port=" + port + " management=" + managementPort + " greeting="
                + System.getenv("FAKE_GREETING") + " home=" + System.getenv("HOME") + " colour="
                + System.getProperty("fake.colour"));
        String exitCode = System.getProperty("fake.exit-code");
        if (exitCode != null) {
            System.out.println("dying on purpose");
            System.exit(Integer.parseInt(exitCode));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown path ran")));
        HttpServer api = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        api.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        api.start();
        HttpServer management = HttpServer.create(new InetSocketAddress("localhost", managementPort), 0);
        management.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        management.start();
        if (!Boolean.getBoolean("fake.silent-about-ports")) {
            // Quarkus' own start-up line, which QuarkusProcess reads to know the ports are really its process'
            System.out.println("started in 0.1s. Listening on: http://localhost:" + port
                    + ". Management interface listening on http://localhost:" + managementPort + ".");
        }
    }
}
