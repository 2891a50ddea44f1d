package io.transferlab.contracts.classify;

public enum ClassifyStatus {
    OK,
    ERROR
}
