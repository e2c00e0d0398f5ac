package dev.keyescrow.cli;

import java.util.Arrays;
import picocli.CommandLine;

/** Checks a command written in the documentation against the real command tree. */
final class CommandCheck {
    private CommandCheck() {
    }

    /**
     * What is wrong with {@code written} ({@code escrow sub ... --option ...}, where a word
     * {@code a|b|c} names alternatives), or null: each word before the first option that the
     * command has as a subcommand is one, and every {@code --option} exists on the command named.
     */
    static String problem(CommandLine root, String written) {
        String[] tokens = written.trim().split("\\s+");
        if (!tokens[0].equals("escrow")) {
            return "not an escrow command";
        }
        CommandLine command = root;
        int i = 1;
        while (i < tokens.length && !tokens[i].startsWith("-") && !tokens[i].equals("...")) {
            String[] alternatives = strip(tokens[i]).split("\\|");
            CommandLine current = command;
            if (Arrays.stream(alternatives).allMatch(a -> current.getSubcommands().containsKey(a))) {
                command = command.getSubcommands().get(alternatives[0]);
                if (endsCommand(tokens[i++])) {
                    return null;
                }
                continue;
            }
            if (command == root) {
                return "no command '" + tokens[i] + "'";
            }
            if (!command.getSubcommands().isEmpty() && command.getCommandSpec().positionalParameters().isEmpty()) {
                return "'" + command.getCommandSpec().qualifiedName() + "' has no subcommand '" + tokens[i] + "'";
            }
            break;
        }
        for (; i < tokens.length; i++) {
            if (tokens[i].startsWith("$(") || tokens[i].startsWith("\"$(")) {
                break; // a nested command, checked on its own
            }
            String token = tokens[i].replaceFirst("^[\\[(]+", "");
            if (token.startsWith("--")) {
                String name = strip(token.split("=", 2)[0]);
                if (command.getCommandSpec().findOption(name) == null) {
                    return "'" + command.getCommandSpec().qualifiedName() + "' has no option " + name;
                }
            }
            if (endsCommand(tokens[i])) {
                break;
            }
        }
        return null;
    }

    private static boolean endsCommand(String token) {
        return token.endsWith(")") || token.endsWith(")\"") || token.endsWith(";");
    }

    private static String strip(String token) {
        return token.replaceAll("^[\\[(\"']+", "").replaceAll("[\\])\"',.;:]+$", "");
    }
}
