package io.transferlab.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for test servers: never hard-coded, so parallel builds and a running local stack do not collide.
 *
 * <p>A port is free only until someone binds it, and a process started now binds its ports seconds later. Two tuner
 * replicas started back to back in one test once got overlapping ports (a port is free again for {@code bind(0)}
 * as soon as this method closes its probe socket); the second died on "port in use" while its readiness probe was
 * answered by the first. So no port is handed out twice in one JVM (other JVMs can still race for a port; the
 * log check in {@link QuarkusProcess#awaitReady} catches that).
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = anyFreePort();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port that this JVM has not handed out already after 1000 attempts");
    }

    private static int anyFreePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
