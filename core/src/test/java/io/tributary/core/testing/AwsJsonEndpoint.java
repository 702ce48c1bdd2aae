package io.tributary.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-JVM endpoint on loopback for an AWS service of the JSON 1.1 protocol ({@code POST} with
 * {@code X-Amz-Target: <prefix><Operation>}, {@code application/x-amz-json-1.1}), so tests drive the real AWS SDK v2
 * against it: the HTTP server, per-operation request counts, the check that requests are signed with the expected
 * access key (credentials that do not reach the client fail the test), injected failures and error bodies the SDK
 * maps to its modelled exceptions. Subclasses answer the operations and keep the service's state.
 *
 * <p>Use a subclass as a JUnit 5 extension ({@code @RegisterExtension}) or as an {@link AutoCloseable} after
 * {@code start()}. Users of this test-jar class add {@code jackson-databind} and JUnit 5 as test dependencies.
 */
public abstract class AwsJsonEndpoint implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  protected final ObjectMapper mapper = new ObjectMapper();
  /** Guards the server's lifecycle and the subclass's stored state. */
  protected final Object lock = new Object();

  private final String service;
  private final String targetPrefix;
  private final String requiredAccessKeyId;
  private final int threads;
  private final Map<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();
  private final Map<String, Deque<String>> pendingFailures = new ConcurrentHashMap<>();

  private volatile HttpServer server;
  private ExecutorService executor;

  /**
   * @param service the service's name, for messages and thread names
   * @param targetPrefix the {@code X-Amz-Target} prefix before the operation name, e.g. {@code AWSGlue.}
   * @param requiredAccessKeyId the access key id requests must be signed with
   * @param threads request-handling threads
   */
  protected AwsJsonEndpoint(String service, String targetPrefix, String requiredAccessKeyId, int threads) {
    this.service = service;
    this.targetPrefix = targetPrefix;
    this.requiredAccessKeyId = requiredAccessKeyId;
    this.threads = threads;
  }

  /** Answers one operation, or throws {@link AwsError} for an error answer. */
  protected abstract JsonNode dispatch(String operation, JsonNode request);

  /**
   * Called after {@link #dispatch} applied a request and before its answer is sent; throwing {@link AwsError}
   * here answers with an error although the request took effect, as when the service's response is lost.
   */
  protected void afterApplied(String operation) {}

  /** Starts listening on a random port of 127.0.0.1. Starting twice is an error. */
  protected void startServer() {
    synchronized (lock) {
      if (server != null) {
        throw new IllegalStateException(service + " endpoint already started at " + endpoint());
      }
      // without TCP_NODELAY each small response waits out the client's delayed ACK (~40 ms a call); the JDK server
      // reads this property once, so it must be set before the first server of the JVM starts
      if (System.getProperty(NO_DELAY_PROPERTY) == null) {
        System.setProperty(NO_DELAY_PROPERTY, "true");
      }
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot bind the " + service + " endpoint on loopback", e);
      }
      executor = Executors.newFixedThreadPool(threads, runnable -> {
        Thread thread = new Thread(runnable, service + " endpoint");
        thread.setDaemon(true);
        return thread;
      });
      server.setExecutor(executor);
      server.createContext("/", this::handle);
      server.start();
    }
  }

  /** The base URI to pass to the SDK client's {@code endpointOverride}. */
  public URI endpoint() {
    HttpServer current = server;
    if (current == null) {
      throw new IllegalStateException(service + " endpoint not started");
    }
    return URI.create("http://127.0.0.1:" + current.getAddress().getPort());
  }

  /** How many requests for this operation arrived, failed ones included. */
  public long requestCount(String operation) {
    AtomicLong count = requestCounts.get(operation);
    return count == null ? 0 : count.get();
  }

  /**
   * Makes the next request of this operation fail with this error type (e.g. {@code "AccessDeniedException"})
   * without changing anything. {@code InternalServiceException} is answered with HTTP 500, the others with 400,
   * as AWS does; the SDK retries the retryable ones by itself. Calls queue up: each one fails one request.
   */
  public void failNext(String operation, String errorType) {
    pendingFailures.computeIfAbsent(operation, ignored -> new ConcurrentLinkedDeque<>()).add(errorType);
  }

  /** Forgets request counts and injected failures. */
  protected void resetRequests() {
    requestCounts.clear();
    pendingFailures.clear();
  }

  /** Stops the server; stored state stays inspectable. */
  @Override
  public void close() {
    synchronized (lock) {
      if (server != null) {
        server.stop(0);
        executor.shutdownNow();
        server = null;
        executor = null;
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startServer();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Takes the next queued entry for an operation, or null. */
  protected static String poll(Map<String, Deque<String>> pending, String operation) {
    Deque<String> queue = pending.get(operation);
    return queue == null ? null : queue.poll();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(targetPrefix)) {
        respond(exchange, 400, error("UnknownOperationException", "Expected POST with X-Amz-Target "
            + targetPrefix + "<Operation>, got " + exchange.getRequestMethod() + " " + target));
        return;
      }
      String operation = target.substring(targetPrefix.length());
      requestCounts.computeIfAbsent(operation, ignored -> new AtomicLong()).incrementAndGet();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null || !authorization.contains("Credential=" + requiredAccessKeyId + "/")) {
        respond(exchange, 400, error("UnrecognizedClientException",
            "The security token included in the request is invalid (expected access key " + requiredAccessKeyId + ")"));
        return;
      }
      JsonNode request;
      try (InputStream body = exchange.getRequestBody()) {
        byte[] bytes = body.readAllBytes();
        request = bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
      }
      JsonNode response;
      try {
        String injected = poll(pendingFailures, operation);
        if (injected != null) {
          throw new AwsError(injected, "Injected failure of " + operation);
        }
        response = dispatch(operation, request);
        afterApplied(operation);
      } catch (AwsError e) {
        respond(exchange, "InternalServiceException".equals(e.type) ? 500 : 400, error(e.type, e.getMessage()));
        return;
      }
      respond(exchange, 200, response);
    } catch (RuntimeException e) {
      respond(exchange, 500, error("InternalServiceException", String.valueOf(e)));
    }
  }

  private ObjectNode error(String type, String message) {
    ObjectNode json = mapper.createObjectNode();
    json.put("__type", type);
    json.put("message", message);
    return json;
  }

  private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", JSON_CONTENT_TYPE);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (status != 200) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", body.get("__type").asText());
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** An error answer: the SDK maps {@code type} to the modelled exception class. */
  protected static final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String type;

    public AwsError(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }
}
