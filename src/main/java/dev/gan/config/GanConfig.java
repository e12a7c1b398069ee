package dev.gan.config;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gan.data.DatasetName;
import dev.gan.data.Split;
import dev.gan.model.Architecture;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import dev.gan.util.Json;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything that defines a training run, resolved: the command line builds one, the trainer runs it, and
 * {@code config.json} records it, flat (one key per option, as {@code gan train} names them in camel case).
 * Grouped by what each part changes: the networks, the optimiser, the training tricks, the schedule, the data.
 * Defaults are the reference tutorial's: noise 128, hidden 256, batch 100, 100 epochs; plain GAN: N(0,1) noise,
 * N(0, 0.01) weights, Adam 2e-4; cGAN: U(-1,1) noise, Xavier weights, Adam 1e-3.
 */
@JsonDeserialize(using = GanConfig.FlatReader.class)
public record GanConfig(
        @JsonUnwrapped Model model,
        @JsonUnwrapped Optimiser optimiser,
        @JsonUnwrapped Tricks tricks,
        @JsonUnwrapped Schedule schedule,
        @JsonUnwrapped Data data,
        long seed,
        String recipe,
        Engine engine) {

    public static final long DEFAULT_SEED = 42;
    /** The reference tutorial's sizes and schedule: the defaults, named once for the records and the help. */
    public static final int DEFAULT_EPOCHS = 100;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_HIDDEN = 256;
    public static final int DEFAULT_NOISE_DIM = 128;
    public static final int DEFAULT_SAMPLE_EVERY = 10;
    public static final int DEFAULT_CHECKPOINT_EVERY = 10;
    public static final int DEFAULT_SAMPLE_SCALE = 2;
    /** Largest pixel enlargement of the sample grids (a 10x10 grid of 28x28 digits is then 8,969 pixels wide). */
    public static final int MAX_SAMPLE_SCALE = 32;
    /** The DCGAN's default width: channels of G's first feature map and D's last. */
    public static final int DCGAN_CHANNELS = 64;

    /** The shape of both networks and how they take their inputs. */
    public record Model(Architecture arch, boolean conditional, int hidden, int noiseDim, NoiseKind noise,
                        WeightInitKind weightInit, double leakyRelu, double dropoutD, double labelScale) {
        static final Model REFERENCE = new Model(Architecture.MLP, false, DEFAULT_HIDDEN, DEFAULT_NOISE_DIM,
                NoiseKind.GAUSSIAN, WeightInitKind.NORMAL, 0, 0, 1);

        public Model {
            requireNonNull("arch", arch);
            requirePositive("hidden", hidden);
            requirePositive("noise-dim", noiseDim);
            requireNonNull("noise", noise);
            if (noise.continuousSize(noiseDim) < 1) {
                throw new IllegalArgumentException("noise-dim must be larger than the " + NoiseKind.CATEGORIES
                        + " categories of --noise categorical, got " + noiseDim);
            }
            requireNonNull("weight-init", weightInit);
            requireIn("leaky-relu slope", leakyRelu, 0, 1);
            requireIn("dropout-d", dropoutD, 0, 1);
            if (!(labelScale > 0) || Double.isInfinite(labelScale)) {
                throw new IllegalArgumentException("label-scale must be positive, got " + labelScale);
            }
        }
    }

    /** Adam's settings for D and G. */
    public record Optimiser(double lrD, double lrG, double beta1, double beta2) {
        static final Optimiser REFERENCE = new Optimiser(2e-4, 2e-4, 0.9, 0.999);

        public Optimiser {
            requireRate("lr-d", lrD);
            requireRate("lr-g", lrG);
            requireIn("beta1", beta1, 0, 1);
            requireIn("beta2", beta2, 0, 1);
        }
    }

    /**
     * What the alternating updates optimise and how: the loss, fake labels, and the tricks on top. {@code infoWeight}
     * is InfoGAN's (Chen et al. 2016): D also learns to tell a fake's categorical code from the image, and G and D
     * both minimise that cross-entropy times the weight, so G must draw each code as something recognisably its own.
     * {@code spectralNorm} divides each of D's weight matrices by its largest singular value (Miyato et al. 2018);
     * {@code augment} passes D's images, real and fake, through DiffAugment's transforms.
     */
    public record Tricks(LossKind loss, LabelSource labelSource, double labelSmoothing, int dSteps, double ema,
                         int pack, double infoWeight, boolean spectralNorm, Augmentation augment) {
        static final Tricks NONE = new Tricks(LossKind.BCE, LabelSource.DATA, 0, 1, 0, 1, 0, false, Augmentation.NONE);

        public Tricks {
            requireNonNull("loss", loss);
            requireNonNull("label-source", labelSource);
            requireIn("label-smoothing", labelSmoothing, 0, 0.5);
            if (labelSmoothing > 0 && !loss.hasTargets()) {
                throw new IllegalArgumentException("label-smoothing softens D's targets, which --loss "
                        + loss.name().toLowerCase(Locale.ROOT) + " does not have: give --label-smoothing 0");
            }
            requirePositive("d-steps", dSteps);
            if (!(ema >= 0 && ema < 1)) {
                throw new IllegalArgumentException("ema must be in [0, 1) (0 = off), got " + ema);
            }
            requirePositive("pack", pack);
            if (!(infoWeight >= 0) || Double.isInfinite(infoWeight)) {
                throw new IllegalArgumentException("info-weight must be positive and finite (or 0 for off), got "
                        + infoWeight);
            }
            requireNonNull("augment", augment);
        }
    }

    /** How long a run trains and what it writes on the way. */
    public record Schedule(int epochs, int batchSize, int sampleEvery, int checkpointEvery, int sampleScale,
                           int evalEvery) {
        static final Schedule REFERENCE = new Schedule(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_SAMPLE_EVERY,
                DEFAULT_CHECKPOINT_EVERY, DEFAULT_SAMPLE_SCALE, 0);

        public Schedule {
            requirePositive("epochs", epochs);
            requirePositive("batch-size", batchSize);
            requirePositive("sample-every", sampleEvery);
            requirePositive("checkpoint-every", checkpointEvery);
            requirePositive("sample-scale", sampleScale);
            if (sampleScale > MAX_SAMPLE_SCALE) {
                throw new IllegalArgumentException("sample-scale must be at most " + MAX_SAMPLE_SCALE + ", got "
                        + sampleScale);
            }
            if (evalEvery < 0) {
                throw new IllegalArgumentException("eval-every must be positive (or 0 for off), got " + evalEvery);
            }
        }
    }

    /** The images a run trains on: a dataset's split, from a folder (null: the default), the first {@code limit}. */
    public record Data(DatasetName dataset, Path dataDir, Split split, int limit) {
        static final Data REFERENCE = new Data(DatasetName.MNIST, null, Split.TRAIN, 0);

        public Data {
            requireNonNull("dataset", dataset);
            requireNonNull("split", split);
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be positive (or 0 for all)");
            }
        }
    }

    public GanConfig {
        requireNonNull("the network settings", model);
        requireNonNull("the optimiser settings", optimiser);
        requireNonNull("the training settings", tricks);
        requireNonNull("the schedule", schedule);
        requireNonNull("the data settings", data);
        requireNonNull("engine", engine);
        if (schedule.batchSize() % tricks.pack() != 0) {
            throw new IllegalArgumentException("pack must divide the batch size " + schedule.batchSize() + ", got "
                    + tricks.pack());
        }
        if (tricks.infoWeight() > 0) {
            requireInfoGan(model, tricks);
        }
    }

    /** InfoGAN's code is z's categorical part, read back by a head on the DCGAN's direct D. */
    private static void requireInfoGan(Model model, Tricks tricks) {
        String missing = model.conditional() ? "a plain GAN (a cGAN has its labels)"
                : model.noise() != NoiseKind.CATEGORICAL ? "--noise categorical (its category is the code)"
                : model.arch() != Architecture.DCGAN ? "--arch dcgan"
                : tricks.pack() != 1 ? "--pack 1" : null;
        if (missing != null) {
            throw new IllegalArgumentException("info-weight needs " + missing);
        }
    }

    /**
     * The keys of config.json added after its first version, with what a run recorded without them
     * did: so every config.json written so far still loads and resumes as it ran. Any other key is required.
     */
    private static final Map<String, Object> IMPLIED_BY_OLDER_FILES = Map.ofEntries(
            Map.entry("arch", Architecture.MLP), Map.entry("evalEvery", 0), Map.entry("recipe", Recipe.REFERENCE_NAME),
            Map.entry("leakyRelu", 0.0), Map.entry("dropoutD", 0.0), Map.entry("labelSmoothing", 0.0),
            Map.entry("dSteps", 1), Map.entry("ema", 0.0), Map.entry("pack", 1), Map.entry("labelScale", 1.0),
            Map.entry("infoWeight", 0.0), Map.entry("spectralNorm", false), Map.entry("augment", Augmentation.NONE),
            // Before --engine, runs trained through the graphs; resuming them so keeps them identical.
            Map.entry("engine", Engine.GRAPH));

    /** Every key of config.json with the Java type of its value, in config.json's order. */
    private static final Map<String, Class<?>> FIELDS = fieldTypes();

    /** The names of config.json's keys: one per setting of a run, each set by the option {@link #optionName} names. */
    public static java.util.Set<String> fields() {
        return FIELDS.keySet();
    }

    /** The gan train option (without its dashes) that sets a field: lrD is lr-d, noiseDim noise-dim. */
    public static String optionName(String field) {
        return CAPITAL.matcher(field).replaceAll(m -> "-" + m.group().toLowerCase(Locale.ROOT));
    }

    /** The field a gan train option (without its dashes) sets, or null when it sets none: lr-d is lrD. */
    public static String fieldOf(String option) {
        String field = DASHED.matcher(option).replaceAll(m -> m.group(1).toUpperCase(Locale.ROOT));
        return FIELDS.containsKey(field) ? field : null;
    }

    private static final Pattern CAPITAL = Pattern.compile("[A-Z]");
    private static final Pattern DASHED = Pattern.compile("-([a-z0-9])");

    private static Map<String, Class<?>> fieldTypes() {
        Map<String, Class<?>> fields = new LinkedHashMap<>();
        for (RecordComponent part : GanConfig.class.getRecordComponents()) {
            if (part.getType().isRecord()) {
                for (RecordComponent field : part.getType().getRecordComponents()) {
                    fields.put(field.getName(), field.getType());
                }
            } else {
                fields.put(part.getName(), part.getType());
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    /**
     * Reads config.json's flat form (Jackson 2.18 cannot yet create a record from unwrapped parts itself); a key
     * it lacks is taken from {@link #IMPLIED_BY_OLDER_FILES} or refused.
     */
    static final class FlatReader extends StdDeserializer<GanConfig> {
        FlatReader() {
            super(GanConfig.class);
        }

        @Override
        public GanConfig deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = parser.readValueAsTree();
            if (!(tree instanceof ObjectNode flat)) {
                throw new IllegalArgumentException("the configuration is not a JSON object");
            }
            return fromJson(flat);
        }
    }

    private static GanConfig fromJson(ObjectNode flat) {
        ObjectNode complete = flat.deepCopy();
        IMPLIED_BY_OLDER_FILES.forEach((key, value) -> {
            if (!complete.hasNonNull(key)) {
                complete.set(key, Json.MAPPER.valueToTree(value));
            }
        });
        for (String key : FIELDS.keySet()) {
            if (!complete.has(key)) {
                throw new IllegalArgumentException("the configuration lacks '" + key + "'");
            }
        }
        return new GanConfig(part(complete, Model.class), part(complete, Optimiser.class), part(complete, Tricks.class),
                part(complete, Schedule.class), part(complete, Data.class), part(complete.get("seed"), Long.class),
                part(complete.get("recipe"), String.class), part(complete.get("engine"), Engine.class));
    }

    /** One group (or value) read from the flat tree; a group's own check fails as that IllegalArgumentException. */
    private static <T> T part(JsonNode node, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException invalid) {
                    throw invalid;
                }
            }
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static void requirePositive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
    }

    /** A learning rate: positive and finite (NaN is neither). */
    private static void requireRate(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be positive and finite, got " + value);
        }
    }

    /** NaN is outside every range. */
    private static void requireIn(String option, double value, double from, double below) {
        if (!(value >= from && value < below)) {
            throw new IllegalArgumentException(option + " must be in [" + plain(from) + ", " + plain(below) + "), got "
                    + value);
        }
    }

    private static String plain(double bound) {
        return java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }

    private static void requireNonNull(String option, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is missing");
        }
    }

    /** The reference plain GAN on the MNIST train split. */
    private static final GanConfig REFERENCE_PLAIN = new GanConfig(Model.REFERENCE, Optimiser.REFERENCE, Tricks.NONE,
            Schedule.REFERENCE, Data.REFERENCE, DEFAULT_SEED, Recipe.REFERENCE_NAME, Engine.DIRECT);
    /** The reference cGAN: U(-1,1) noise, Xavier weights, Adam 1e-3. */
    private static final GanConfig REFERENCE_CONDITIONAL = new GanConfig(
            new Model(Architecture.MLP, true, DEFAULT_HIDDEN, DEFAULT_NOISE_DIM, NoiseKind.UNIFORM, WeightInitKind.XAVIER,
                    0, 0, 1),
            new Optimiser(1e-3, 1e-3, Optimiser.REFERENCE.beta1(), Optimiser.REFERENCE.beta2()), Tricks.NONE,
            Schedule.REFERENCE, Data.REFERENCE, DEFAULT_SEED, Recipe.REFERENCE_NAME, Engine.DIRECT);

    /** The reference tutorial's settings for the plain or the conditional GAN, on the MNIST train split. */
    public static Builder reference(boolean conditional) {
        return new Builder(conditional ? REFERENCE_CONDITIONAL : REFERENCE_PLAIN);
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The DCGAN paper's training settings (Adam 2e-4 with beta1 0.5, Xavier weights; LeakyReLU 0.2 in D is built
     * in) and {@link #DCGAN_CHANNELS} as the width, on this configuration's other settings.
     */
    private GanConfig asDcgan() {
        Model m = model;
        return new GanConfig(new Model(Architecture.DCGAN, m.conditional(), DCGAN_CHANNELS, m.noiseDim(), m.noise(),
                WeightInitKind.XAVIER, m.leakyRelu(), m.dropoutD(), m.labelScale()),
                new Optimiser(2e-4, 2e-4, 0.5, optimiser.beta2()), tricks, schedule, data, seed, recipe, engine);
    }

    /** The same run computed by another engine. */
    public GanConfig withEngine(Engine other) {
        return new GanConfig(model, optimiser, tricks, schedule, data, seed, recipe, other);
    }

    /** The same run trained to {@code epochs} epochs in all. */
    public GanConfig withEpochs(int epochs) {
        Schedule s = schedule;
        return new GanConfig(model, optimiser, tricks, new Schedule(epochs, s.batchSize(), s.sampleEvery(),
                s.checkpointEvery(), s.sampleScale(), s.evalEvery()), data, seed, recipe, engine);
    }

    /** The same run at another batch size (a benchmark's). */
    public GanConfig withBatchSize(int batchSize) {
        Schedule s = schedule;
        return new GanConfig(model, optimiser, tricks, new Schedule(s.epochs(), batchSize, s.sampleEvery(),
                s.checkpointEvery(), s.sampleScale(), s.evalEvery()), data, seed, recipe, engine);
    }

    /** The same run at another width (a benchmark's). */
    public GanConfig withHidden(int hidden) {
        Model m = model;
        return new GanConfig(new Model(m.arch(), m.conditional(), hidden, m.noiseDim(), m.noise(), m.weightInit(),
                m.leakyRelu(), m.dropoutD(), m.labelScale()), optimiser, tricks, schedule, data, seed, recipe, engine);
    }

    /** The same run on the data in {@code dir} (the --data folder, resolved). */
    public GanConfig withDataDir(Path dir) {
        return new GanConfig(model, optimiser, tricks, schedule,
                new Data(data.dataset(), dir, data.split(), data.limit()), seed, recipe, engine);
    }

    /**
     * Staging for a GanConfig from the reference settings, the architecture's, a recipe's and the options given,
     * in that order. Options are named as gan train names them ({@code "label-smoothing"}) and reach the record
     * component of that name ({@code labelSmoothing}): an option is declared once, as a record component, and a
     * value is checked against the component's type here and against its range when built.
     */
    public static final class Builder {
        private ObjectNode values;
        /** The options the recipe set and no explicit option has set since. */
        private final java.util.Set<String> fromRecipe = new java.util.HashSet<>();

        private Builder(GanConfig start) {
            values = Json.MAPPER.valueToTree(start);
        }

        /**
         * Sets the setting an option names ({@code "lr-d"}, {@code "noise"}); an unknown option or a value of the
         * wrong type is refused. An enum setting also takes its constant's name.
         */
        public Builder option(String option, Object value) {
            String field = fieldOf(option);
            if (field == null) {
                throw new IllegalArgumentException("no setting '" + option + "' (expected one of "
                        + FIELDS.keySet().stream().map(GanConfig::optionName).toList() + ")");
            }
            Class<?> type = FIELDS.get(field);
            Object typed = !(value instanceof String name) ? value
                    : type.isEnum() ? enumConstant(type, name)
                    : type == Augmentation.class ? Augmentation.parse(name) : value;
            if (!accepts(type, typed)) {
                throw new IllegalArgumentException(option + " takes " + type.getSimpleName() + ", not " + value);
            }
            values.set(field, Json.MAPPER.valueToTree(typed));
            fromRecipe.remove(option);
            return this;
        }

        private static Object enumConstant(Class<?> type, String name) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(name)) {
                    return constant;
                }
            }
            return name;
        }

        private static boolean accepts(Class<?> type, Object value) {
            if (value == null) {
                return !type.isPrimitive();
            }
            if (type == double.class) {
                return value instanceof Double || value instanceof Float || value instanceof Integer;
            }
            if (type == int.class) {
                return value instanceof Integer;
            }
            if (type == long.class) {
                return value instanceof Long || value instanceof Integer;
            }
            if (type == boolean.class) {
                return value instanceof Boolean;
            }
            return type.isInstance(value);
        }

        /** Chooses the architecture: the DCGAN brings its paper's settings (see asDcgan); options given later win. */
        public Builder arch(Architecture v) {
            GanConfig now = fromJson(values);
            if (v != now.model().arch()) {
                if (v != Architecture.DCGAN) {
                    throw new IllegalStateException("choose the architecture first, from the reference settings");
                }
                values = Json.MAPPER.valueToTree(now.asDcgan());
            }
            return this;
        }

        /**
         * Applies a recipe's settings (explicit options given afterwards still win): a version such as
         * {@code improved-10}, or {@code improved}, the newest. The config records the version (see {@link Recipe}).
         */
        public Builder recipe(String name) {
            Recipe chosen = Recipe.named(name);
            GanConfig now = fromJson(values);
            chosen.settings(now.model().conditional(), now.model().arch()).forEach((option, value) -> {
                option(option, value);
                fromRecipe.add(option);
            });
            values.put("recipe", chosen.id());
            return this;
        }

        /**
         * The configuration. Two settings a recipe chose yield to the options given: its pack must divide the batch
         * size unless --pack is given explicitly, and its label smoothing is left out under a loss without targets.
         */
        public GanConfig build() {
            if (fromRecipe.contains("label-smoothing")
                    && !LossKind.valueOf(values.get("loss").asText()).hasTargets()) {
                values.put("labelSmoothing", 0.0);
            }
            int batchSize = values.get("batchSize").asInt();
            int pack = values.get("pack").asInt();
            if (fromRecipe.contains("pack") && pack > 0 && batchSize % pack != 0) {
                throw new IllegalArgumentException("--recipe " + values.get("recipe").asText() + " packs " + pack
                        + " images per D example, which must divide the batch size " + batchSize
                        + ": give --pack (e.g. 1) explicitly");
            }
            return fromJson(values);
        }
    }
}
