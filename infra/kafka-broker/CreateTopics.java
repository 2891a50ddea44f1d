import java.io.FileReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the given topics (if absent) in one JVM; the local stack runs it with Java's source launcher:
 * {@code java -cp 'libs/*' CreateTopics.java <bootstrap> <partitions> <topic>[:compact]...}. A topic written as
 * {@code <name>:compact} is created with {@code cleanup.policy=compact} (it keeps the last record of every key for
 * good; topic names cannot contain ':'). On a broker with SCRAM, the super user's client settings come from the
 * properties file named by {@code -Dkafka.client.config}.
 */
public class CreateTopics {

    private static final String COMPACT = ":compact";

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        Properties config = new Properties();
        String file = System.getProperty("kafka.client.config");
        if (file != null) {
            try (FileReader in = new FileReader(file)) {
                config.load(in);
            }
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                boolean compact = args[i].endsWith(COMPACT);
                String name = compact ? args[i].substring(0, args[i].length() - COMPACT.length()) : args[i];
                if (!existing.contains(name)) {
                    NewTopic topic = new NewTopic(name, partitions, (short) 1);
                    missing.add(compact ? topic.configs(Map.of("cleanup.policy", "compact")) : topic);
                }
            }
            admin.createTopics(missing).all().get();
            System.out.println("created " + missing.size() + " topic(s), " + (args.length - 2 - missing.size())
                    + " already there");
        }
    }
}
