package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;

/** Maps an API failure to the command-line contract: 4xx is the caller's input (exit 2), anything else exit 1. */
final class OperatorCall {
    interface Call {
        Object run() throws ApiException, BadInputException;
    }

    private OperatorCall() {
    }

    static int run(Terminal terminal, String command, boolean json, Call call) throws BadInputException {
        try {
            Object result = call.run();
            if (json || !(result instanceof String)) {
                terminal.out().println(result instanceof io.vertx.core.json.JsonObject o ? o.encodePrettily()
                        : result instanceof io.vertx.core.json.JsonArray a ? a.encodePrettily() : String.valueOf(result));
            } else {
                terminal.out().println(result);
            }
            return ExitCodes.OK;
        } catch (ApiException e) {
            terminal.err().println("escrow " + command + ": " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
    }
}
