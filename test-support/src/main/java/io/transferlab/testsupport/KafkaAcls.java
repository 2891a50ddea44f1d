package io.transferlab.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ACL table {@code infra/kafka-broker/acls.txt} as data, for tests that check the broker enforces it and that
 * it agrees with the AsyncAPI document, the services' configuration and the Strimzi KafkaUsers. (The broker gets
 * it through {@code CreateAcls.java}, a single-file program that cannot share this class.)
 */
public record KafkaAcls(List<Entry> entries) {

    /** One line: {@code principal} may {@code operation} (READ, WRITE) the {@code resource} (topic, group). */
    public record Entry(String principal, String operation, String resource, String name) {

        public boolean prefix() {
            return name.endsWith("*");
        }

        public boolean matches(String resourceName) {
            return prefix() ? resourceName.startsWith(name.substring(0, name.length() - 1)) : resourceName.equals(name);
        }
    }

    public static Path file() {
        return RepoPaths.root().resolve("infra/kafka-broker/acls.txt");
    }

    public static KafkaAcls load() {
        try {
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file())) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] f = trimmed.split("\\s+");
                if (f.length != 4) {
                    throw new IllegalStateException(file() + ": expected 'principal operation resource name': " + line);
                }
                entries.add(new Entry(f[0], f[1], f[2], f[3]));
            }
            return new KafkaAcls(List.copyOf(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Set<String> principals() {
        Set<String> principals = new TreeSet<>();
        entries.forEach(e -> principals.add(e.principal()));
        return principals;
    }

    public boolean allows(String principal, String operation, String resource, String name) {
        return entries.stream().anyMatch(e -> e.principal().equals(principal) && e.operation().equals(operation)
                && e.resource().equals(resource) && e.matches(name));
    }

    /** The names of one principal's resources of one kind and operation ({@code gateway-*} for a prefix). */
    public Set<String> names(String principal, String operation, String resource) {
        Set<String> names = new TreeSet<>();
        entries.stream().filter(e -> e.principal().equals(principal) && e.operation().equals(operation)
                && e.resource().equals(resource)).forEach(e -> names.add(e.name()));
        return names;
    }
}
