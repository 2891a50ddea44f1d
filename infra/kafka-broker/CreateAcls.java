import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Applies the ACL table (acls.txt: principal, operation, resource, name; a name ending in '*' is a prefix) as the
 * broker's super user. The local stack and test-support's KafkaBroker run it with Java's source launcher:
 * {@code java -Dkafka.client.config=admin.properties -cp 'libs/*' CreateAcls.java <bootstrap> <acls.txt>}.
 * Creating an ACL that exists already is a no-op, so it can run on every start.
 */
public class CreateAcls {

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        String file = System.getProperty("kafka.client.config");
        if (file != null) {
            try (FileReader in = new FileReader(file)) {
                config.load(in);
            }
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        List<AclBinding> bindings = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] f = trimmed.split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException("expected 'principal operation resource name': " + line);
            }
            boolean prefix = f[3].endsWith("*");
            String name = prefix ? f[3].substring(0, f[3].length() - 1) : f[3];
            ResourceType type = switch (f[2]) {
                case "topic" -> ResourceType.TOPIC;
                case "group" -> ResourceType.GROUP;
                default -> throw new IllegalArgumentException("unknown resource type '" + f[2] + "': " + line);
            };
            bindings.add(new AclBinding(
                    new ResourcePattern(type, name, prefix ? PatternType.PREFIXED : PatternType.LITERAL),
                    new AccessControlEntry("User:" + f[0], "*", AclOperation.fromString(f[1]),
                            AclPermissionType.ALLOW)));
        }
        try (Admin admin = Admin.create(config)) {
            admin.createAcls(bindings).all().get();
        }
        System.out.println("applied " + bindings.size() + " ACL(s)");
    }
}
