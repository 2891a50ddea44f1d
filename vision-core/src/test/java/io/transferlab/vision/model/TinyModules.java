package io.transferlab.vision.model;

/** Small TorchScript modules for the tests, written without Python. */
final class TinyModules {

    private TinyModules() {
    }

    /**
     * A small convolutional feature extractor: two 3x3 convolutions with relu, the second with stride 2;
     * N x 3 x H x W to N x 16 x H/2 x W/2 (H, W even).
     */
    static TorchScriptArchive tinyBackbone(long seed) {
        return new TorchScriptArchive("TinyBackbone")
                .parameter("w1", seed, 0.3, 8, 3, 3, 3).parameter("b1", seed + 1, 0.1, 8)
                .parameter("w2", seed + 2, 0.15, 16, 8, 3, 3).parameter("b2", seed + 3, 0.1, 16)
                .line("w1 = self.w1")
                .line("b1 = self.b1")
                .line("w2 = self.w2")
                .line("b2 = self.b2")
                .line("h = torch.relu(torch.conv2d(x, w1, b1, [1, 1], [1, 1]))")
                .line("return torch.relu(torch.conv2d(h, w2, b2, [2, 2], [1, 1]))");
    }

    /** An "ImageNet classifier" of the right shape: N x 3 x 224 x 224 to N x 1000 logits. */
    static TorchScriptArchive tinyImageNetClassifier(long seed) {
        return new TorchScriptArchive("TinyClassifier")
                .parameter("w", seed, 0.5, 16, 3, 4, 4)
                .parameter("fc", seed + 1, 0.5, 1000, 16)
                .line("w = self.w")
                .line("fc = self.fc")
                .line("h = torch.relu(torch.conv2d(x, w, None, [4, 4]))")
                .line("pooled = torch.mean(h, [2, 3])")
                .line("return torch.matmul(pooled, torch.t(fc))");
    }

    /**
     * {@link #tinyBackbone} with a batch norm after each convolution (scale, shift, and running mean and variance
     * as buffers, PyTorch's defaults: momentum 0.1, epsilon 1e-5), as torchvision's ResNets export.
     */
    static TorchScriptArchive tinyBatchNormBackbone(long seed) {
        return new TorchScriptArchive("TinyBatchNormBackbone")
                .parameter("w1", seed, 0.3, 8, 3, 3, 3)
                .parameter("g1", seed + 1, 0.1, 8).parameter("b1", seed + 2, 0.1, 8)
                .buffer("rm1", 0f, 8).buffer("rv1", 1f, 8)
                .parameter("w2", seed + 3, 0.15, 16, 8, 3, 3)
                .parameter("g2", seed + 4, 0.1, 16).parameter("b2", seed + 5, 0.1, 16)
                .buffer("rm2", 0f, 16).buffer("rv2", 1f, 16)
                .line("h = torch.conv2d(x, self.w1, None, [1, 1], [1, 1])")
                .line("h = torch.relu(torch.batch_norm(h, self.g1.add(1.0), self.b1, self.rm1, self.rv1, self.training,"
                        + " 0.1, 1e-5, False))")
                .line("h = torch.conv2d(h, self.w2, None, [2, 2], [1, 1])")
                .line("return torch.relu(torch.batch_norm(h, self.g2.add(1.0), self.b2, self.rm2, self.rv2,"
                        + " self.training, 0.1, 1e-5, False))");
    }
}
