package io.transferlab.systemtest;

import io.transferlab.testsupport.TestDataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link Stack} for every system test class of a test JVM: starting it takes a minute and about 3 GB, which
 * CI's two cores should pay once, not per class. It starts when the first class that uses it starts and is closed
 * when the whole test plan has run (JUnit closes what the root store holds), or at JVM exit as a backstop.
 * Its folder ({@code target/system-stack-*}) stays, with the services' logs, for whoever reads a failure.
 */
final class SharedStack implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedStack.class);
    private static volatile Stack stack;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).computeIfAbsent(Holder.class, k -> new Holder(), Holder.class);
    }

    /** The started stack; only valid in a class extended with this extension. */
    static Stack stack() {
        if (stack == null) {
            throw new IllegalStateException("the shared stack is not started: add @ExtendWith(SharedStack.class)");
        }
        return stack;
    }

    /** Starts the stack when created, stops it when JUnit closes the root store. */
    private static final class Holder implements AutoCloseable {

        private final Stack started;

        Holder() {
            try {
                Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "system-stack-");
                started = Stack.start(work.toAbsolutePath(), TestDataDir.require("mnist"));
            } catch (Exception e) {
                throw new IllegalStateException("the system stack did not start", e);
            }
            // a JVM stopped before the plan ends (Ctrl-C) must not leave four services and a broker behind
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "system-stack-stop"));
            stack = started;
        }

        @Override
        public void close() {
            stack = null;
            started.close();
        }
    }
}
