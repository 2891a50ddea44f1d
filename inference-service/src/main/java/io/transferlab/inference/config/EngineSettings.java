package io.transferlab.inference.config;

import ai.djl.engine.Engine;
import io.transferlab.vision.Engines;
import org.jboss.logging.Logger;

/**
 * Applies the PyTorch engine switches, which DJL reads once from system properties when the engine loads, then
 * loads the engine. A property already set on the command line wins; once the engine is loaded in this JVM (a
 * test that trained a model first) the switches cannot change any more, which is logged.
 */
final class EngineSettings {

    private static final Logger LOG = Logger.getLogger(EngineSettings.class);
    static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";
    static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
    static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private EngineSettings() {
    }

    static Engine apply(InferenceConfig.Engine config) {
        setIfAbsent(GRAPH_OPTIMIZER, String.valueOf(config.graphOptimizer()));
        config.intraOpThreads().ifPresent(n -> setIfAbsent(INTRA_OP_THREADS, String.valueOf(n)));
        setIfAbsent(INTER_OP_THREADS, String.valueOf(config.interOpThreads()));
        Engine engine = Engines.pytorch();
        LOG.infof("PyTorch engine %s: graph optimizer %s, intra-op threads %s, inter-op threads %s",
                engine.getVersion(), System.getProperty(GRAPH_OPTIMIZER),
                System.getProperty(INTRA_OP_THREADS, "default"), System.getProperty(INTER_OP_THREADS));
        return engine;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
