package io.transferlab.trainer.service;

/**
 * Who this replica is and where it trains.
 *
 * @param trainerId what results and logs call it (host name and pid, or {@code transferlab.trainer.id})
 * @param instance this process's lease holder name: the trainer id and a random part, so that a restarted replica
 *        with the same name does not mistake its predecessor's leases for its own
 * @param device the device runs execute on, as results name it: {@code cpu()} or {@code gpu(0)}
 */
public record TrainerIdentity(String trainerId, String instance, String device) {
}
