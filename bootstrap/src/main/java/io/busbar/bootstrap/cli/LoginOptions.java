package io.busbar.bootstrap.cli;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --username} and {@code --password-env} of the discover commands: the password never goes on
 * the command line (it would show in the process list and the shell history), only the name of the
 * environment variable that holds it, which the written busbar.yaml refers to as well.
 */
final class LoginOptions {

    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    @Option(names = "--username", paramLabel = "USER", description = "User name; anonymous when absent.")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the password; the written busbar.yaml refers to it as $${VAR}.")
    String passwordEnv;

    /** Where --password-env is looked up; tests replace it. */
    Function<String, String> environment = System::getenv;

    boolean anonymous() {
        return username == null;
    }

    /** The password {@code --password-env} names; null for anonymous access; problems with the options added. */
    String password(List<String> problems) {
        if (username == null && passwordEnv == null) {
            return null;
        }
        if (username == null || passwordEnv == null) {
            problems.add("--username and --password-env go together");
            return null;
        }
        if (!ENV_NAME.matcher(passwordEnv).matches()) {
            problems.add("--password-env: must be an environment variable name such as OPCUA_PASSWORD, not '"
                    + passwordEnv + "'");
            return null;
        }
        String password = environment.apply(passwordEnv);
        if (password == null) {
            problems.add("--password-env: environment variable " + passwordEnv + " is not set");
        }
        return password;
    }

    /** The YAML lines of a written config that log in as this user, indented by {@code indent}. */
    String yaml(String indent) {
        return indent + "username: " + DiscoverCommand.quote(username) + '\n'
                + indent + "password: " + DiscoverCommand.quote("${" + passwordEnv + "}") + '\n';
    }
}
