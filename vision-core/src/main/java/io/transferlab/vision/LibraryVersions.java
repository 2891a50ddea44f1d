package io.transferlab.vision;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of what computes our models, recorded in model cards. */
public final class LibraryVersions {

    private LibraryVersions() {
    }

    public static Map<String, String> current() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("transferlab", transferLab());
        v.put("djl", Engine.getDjlVersion());
        v.put("pytorch", Engines.pytorch().getVersion());
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    static String transferLab() {
        try (InputStream in = LibraryVersions.class.getResourceAsStream("/io/transferlab/vision/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
