package io.transferlab.vision.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one name in a directory, across threads and processes: a {@code .<name>.lock} file locked
 * with the operating system (processes, replicas on a shared volume that supports locks) and an in-process lock
 * (the OS lock is held per process, so threads of one JVM need their own). Waits until it is free.
 */
public final class DirectoryLock implements AutoCloseable {

    private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private DirectoryLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    public static DirectoryLock acquire(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path lockFile = dir.resolve("." + name + ".lock").toAbsolutePath().normalize();
        ReentrantLock local = LOCAL.computeIfAbsent(lockFile, p -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new DirectoryLock(local, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
