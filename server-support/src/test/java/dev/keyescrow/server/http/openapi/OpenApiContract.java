package dev.keyescrow.server.http.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A server's OpenAPI 3.1 document as a contract the tests hold the server to: its routes
 * ({@code METHOD /path/{param}}) against the routes of the real Vert.x router, and real
 * responses (status, content type, body) against the response schemas, problem documents
 * included. A call the document does not describe must be answered as the servers answer
 * any unknown endpoint: 404 {@code not-found}.
 */
public final class OpenApiContract {
    /** Routes under this prefix are static pages, not API operations. */
    public static final String STATIC_PREFIX = "/ui";
    private static final String NOT_FOUND_TYPE = "https://keyescrow.dev/problems/not-found";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String text;
    private final JsonNode document;
    private final String iri;
    private final SchemaRegistry schemas;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** One documented operation: its method, path template and the regular expression of its paths. */
    public record Operation(String method, String template, Pattern pattern) {
        public String key() {
            return method + " " + template;
        }

        int parameters() {
            return template.length() - template.replace("{", "").length();
        }
    }

    private OpenApiContract(String name, String text) {
        this.name = name;
        this.text = text;
        this.document = parse(text);
        this.iri = "https://keyescrow.dev/openapi/" + name;
        this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(iri, text)));
        document.get("paths").properties().forEach(path -> {
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(),
                            Pattern.compile(path.getKey().replaceAll("\\{[^/}]+}", "[^/]+"))));
                }
            }
        });
        // the most specific template first: /v1/keys/import before /v1/keys/{keyId}
        operations.sort(Comparator.comparingInt(Operation::parameters));
    }

    /** The document packaged as {@code resource} beside {@code owner}. */
    public static OpenApiContract fromResource(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no OpenAPI document at " + resource);
            }
            return new OpenApiContract(resource.substring(resource.lastIndexOf('/') + 1),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static OpenApiContract of(String name, String text) {
        return new OpenApiContract(name, text);
    }

    /** The document as parsed JSON. */
    public JsonNode document() {
        return document;
    }

    /** {@code METHOD /path/{param}} of every documented operation. */
    public Set<String> documentedRoutes() {
        Set<String> out = new TreeSet<>();
        operations.forEach(o -> out.add(o.key()));
        return out;
    }

    /**
     * {@code METHOD /path/{param}} of every route of {@code router} that has a path (handlers
     * for every path, such as body handling and the final 404, have none), Vert.x's {@code
     * :param} written as {@code {param}}; routes under {@link #STATIC_PREFIX} are left out. A
     * route with a path but no method is {@code ANY /path}, which no document describes.
     */
    public static Set<String> servedRoutes(Router router) {
        Set<String> out = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null) {
                if (route.isRegexPath()) {
                    out.add("REGEX " + route);
                }
                continue;
            }
            if (path.equals(STATIC_PREFIX) || path.startsWith(STATIC_PREFIX + "/")) {
                continue;
            }
            String template = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            if (route.methods() == null || route.methods().isEmpty()) {
                out.add("ANY " + template);
            }
            for (HttpMethod method : route.methods() == null ? Set.<HttpMethod>of() : route.methods()) {
                out.add(method.name() + " " + template);
            }
        }
        return out;
    }

    /** The documented operation {@code method} on {@code path} (no query) belongs to, if any. */
    public Optional<Operation> operationOf(String method, String path) {
        return operations.stream().filter(o -> o.method.equals(method) && o.pattern.matcher(path).matches())
                .findFirst();
    }

    /**
     * Fails unless the answer to {@code method} on {@code pathAndQuery} is one the document
     * describes: a documented status, a documented content type, and a body that validates
     * against that response's schema. A call to an undocumented route must be a 404
     * {@code not-found} problem. Static pages under {@link #STATIC_PREFIX} are not API calls and
     * are left to their own tests.
     */
    public void check(String method, String pathAndQuery, int status, String contentType, String body) {
        String path = pathAndQuery.split("\\?", 2)[0];
        if (path.equals(STATIC_PREFIX) || path.startsWith(STATIC_PREFIX + "/")) {
            return;
        }
        String call = method + " " + pathAndQuery + " -> " + status;
        Optional<Operation> operation = operationOf(method, path);
        if (operation.isEmpty()) {
            if (status != 404 || !contentType.startsWith("application/problem+json")
                    || !NOT_FOUND_TYPE.equals(parse(body).path("type").asText(""))) {
                throw new AssertionError(name + " does not document " + call + ", and the answer is not the 404"
                        + " not-found of an unknown endpoint: " + body);
            }
            validate("/components/schemas/Problem", body, call);
            return;
        }
        String pointer = "/paths/" + escape(operation.get().template()) + "/"
                + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
        JsonNode response = document.at(pointer);
        if (response.isMissingNode()) {
            throw new AssertionError(name + " documents no status " + status + " for " + operation.get().key()
                    + " (" + call + "): " + body);
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!response.path("content").has(mediaType)) {
            throw new AssertionError(name + " documents no " + mediaType + " answer for " + call + ": documented "
                    + names(response.path("content")));
        }
        if (mediaType.endsWith("json")) {
            validate(pointer + "/content/" + escape(mediaType) + "/schema", body, call);
        }
    }

    /** Fails unless {@code json} validates against the schema at {@code pointer} in the document. */
    public void validate(String pointer, String json, String what) {
        Schema schema = compiled.computeIfAbsent(pointer, p -> schemas.getSchema(SchemaLocation.of(iri + "#" + p)));
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new AssertionError(name + ": " + what + " does not match " + pointer + ": " + errors + "\n" + json);
        }
    }

    /**
     * Fails unless the document is valid OpenAPI 3.1 (the Swagger parser reads it with every
     * reference resolved and reports nothing) and every example validates against its schema.
     *
     * @return how many examples were checked
     */
    public int verifyDocument() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new AssertionError(name + " is not valid OpenAPI: " + parsed.getMessages());
        }
        if (!parsed.getOpenAPI().getOpenapi().startsWith("3.1.")) {
            throw new AssertionError(name + " is OpenAPI " + parsed.getOpenAPI().getOpenapi() + ", not 3.1");
        }
        int examples = 0;
        for (Operation o : operations) {
            String op = "/paths/" + escape(o.template()) + "/" + o.method().toLowerCase(Locale.ROOT);
            JsonNode operation = document.at(op);
            if (!operation.has("operationId") || !operation.has("summary")) {
                throw new AssertionError(name + ": " + o.key() + " has no operationId or summary");
            }
            List<String> media = new ArrayList<>();
            document.at(op + "/requestBody/content").fieldNames().forEachRemaining(m ->
                    media.add(op + "/requestBody/content/" + escape(m)));
            for (String status : names(document.at(op + "/responses"))) {
                JsonNode content = document.at(op + "/responses/" + status + "/content");
                if (content.isMissingNode() || content.isEmpty()) {
                    throw new AssertionError(name + ": " + o.key() + " " + status + " has no content");
                }
                content.fieldNames().forEachRemaining(m -> media.add(op + "/responses/" + status + "/content/" + escape(m)));
            }
            for (String m : media) {
                JsonNode example = document.at(m + "/example");
                if (example.isMissingNode()) {
                    throw new AssertionError(name + ": no example at " + m);
                }
                if (m.endsWith("json")) {
                    validate(m + "/schema", example.toString(), "the example");
                }
                examples++;
            }
        }
        return examples;
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
