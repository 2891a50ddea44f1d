package io.transferlab.contracts.train;

public enum ControlAction {
    CANCEL
}
