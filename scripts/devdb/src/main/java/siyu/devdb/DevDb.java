package siyu.devdb;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Development stand-in for MongoDB. Usage: DevDb memory|h2 [h2-file] [port].
 * Prints "LISTENING host:port" once bound; exits when stdin closes so it never outlives its parent.
 */
public final class DevDb {
  /** The package's own MONGO_5_0 reports wire version 8, which the Node driver 7 refuses. */
  private static final MongoVersion MONGO_5_0_WIRE_13 = new MongoVersion() {
    @Override public List<Integer> getVersionArray() { return List.of(5, 0, 0, 0); }
    @Override public int getWireVersion() { return 13; }
  };

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "memory";
    MongoBackend backend = "h2".equals(kind) ? new H2Backend(args[1]) : new IndexedMemoryBackend();
    backend.version(MONGO_5_0_WIRE_13);
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    InetSocketAddress address = server.getLocalAddress();
    System.out.println("LISTENING " + address.getHostString() + ":" + address.getPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    while (System.in.read() != -1) {
      // Block until the parent closes our stdin (or dies).
    }
    server.shutdown();
    System.exit(0);
  }
}
