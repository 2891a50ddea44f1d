package io.transferlab.inference.rest;

import io.transferlab.contracts.classify.Prediction;
import io.transferlab.inference.rest.oip.InferResponse;
import io.transferlab.inference.rest.oip.OutputTensor;
import io.transferlab.inference.service.BatchOutcome;
import io.transferlab.inference.service.Submission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the outcomes of one inference request into the protocol's output tensors. */
final class InferResponses {

    private InferResponses() {
    }

    static InferResponse build(String modelName, InferRequest request, Submission submission,
            List<BatchOutcome> outcomes) {
        long n = outcomes.size();
        boolean synsets = outcomes.stream().flatMap(o -> o.predictions().stream()).anyMatch(p -> p.synset() != null);
        List<String> names = request.outputsRequested() ? request.outputs()
                : synsets ? List.of(InferRequest.LABELS, InferRequest.SCORES, InferRequest.CLASS_INDICES,
                        InferRequest.SYNSETS)
                        : List.of(InferRequest.LABELS, InferRequest.SCORES, InferRequest.CLASS_INDICES);
        // with probabilities asked for, every class was ranked: the top-k outputs keep the first k
        List<List<Prediction>> top = outcomes.stream()
                .map(o -> o.predictions().subList(0, Math.min(request.topK(), o.predictions().size())))
                .toList();
        long k = top.stream().mapToLong(List::size).max().orElse(0);
        List<OutputTensor> tensors = new ArrayList<>();
        for (String name : names) {
            tensors.add(switch (name) {
                case InferRequest.LABELS -> new OutputTensor(name, "BYTES", List.of(n, k),
                        flat(top, Prediction::label, ""));
                case InferRequest.SCORES -> new OutputTensor(name, "FP32", List.of(n, k),
                        flat(top, p -> (float) p.score(), 0f));
                case InferRequest.CLASS_INDICES -> new OutputTensor(name, "INT64", List.of(n, k),
                        flat(top, p -> (long) p.classIndex(), -1L));
                case InferRequest.SYNSETS -> new OutputTensor(name, "BYTES", List.of(n, k),
                        flat(top, p -> p.synset() == null ? "" : p.synset(), ""));
                case InferRequest.PROBABILITIES -> probabilities(outcomes);
                default -> throw new IllegalStateException("unknown output " + name);
            });
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("decode_ms", ms(submission.decodeNanos()));
        parameters.put("queue_ms", ms(outcomes.stream().mapToLong(BatchOutcome::queuedNanos).max().orElse(0)));
        parameters.put("inference_ms", ms(outcomes.stream().mapToLong(BatchOutcome::inferenceNanos).max().orElse(0)));
        parameters.put("largest_batch", outcomes.stream().mapToInt(BatchOutcome::batchSize).max().orElse(0));
        return new InferResponse(modelName, String.valueOf(submission.modelVersion()), request.id(), parameters,
                tensors);
    }

    /** Pads short rows (a model with fewer classes than top_k) so the tensor stays rectangular. */
    private static <T> List<T> flat(List<List<Prediction>> rows, java.util.function.Function<Prediction, T> value,
            T pad) {
        long k = rows.stream().mapToLong(List::size).max().orElse(0);
        List<T> data = new ArrayList<>();
        for (List<Prediction> row : rows) {
            for (Prediction p : row) {
                data.add(value.apply(p));
            }
            for (long i = row.size(); i < k; i++) {
                data.add(pad);
            }
        }
        return data;
    }

    private static OutputTensor probabilities(List<BatchOutcome> outcomes) {
        int classes = outcomes.get(0).predictions().size();
        List<Float> data = new ArrayList<>(outcomes.size() * classes);
        for (BatchOutcome o : outcomes) {
            float[] row = new float[classes];
            for (Prediction p : o.predictions()) {
                row[p.classIndex()] = (float) p.score();
            }
            for (float v : row) {
                data.add(v);
            }
        }
        return new OutputTensor(InferRequest.PROBABILITIES, "FP32", List.of((long) outcomes.size(), (long) classes),
                data);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
