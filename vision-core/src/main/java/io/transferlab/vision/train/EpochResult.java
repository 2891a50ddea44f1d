package io.transferlab.vision.train;

/** Training loss and accuracy of one epoch (dropout on, as Keras reports them), and how many images it saw. */
record EpochResult(double loss, double accuracy, int images, long elapsedNanos) {

    double imagesPerSecond() {
        return elapsedNanos == 0 ? 0 : images / (elapsedNanos / 1e9);
    }
}
