package io.tributary.paimon.glue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.DelegateCatalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.fs.Path;
import org.apache.paimon.iceberg.IcebergCommitCallback;
import org.apache.paimon.iceberg.IcebergPathFactory;
import org.apache.paimon.manifest.ManifestCommittable;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.CommitCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Paimon commit callback that points the Glue Iceberg table of a Paimon table at the Iceberg metadata file Paimon
 * wrote for the new snapshot, so Athena and other Iceberg readers see each commit. {@link GlueCatalog} adds it to
 * the {@code commit.callbacks} of every table with {@code metadata.iceberg.storage} set; Paimon runs it after its
 * own Iceberg callback has written the metadata.
 */
public class GlueIcebergCommitCallback implements CommitCallback {
  private static final Logger LOG = LoggerFactory.getLogger(GlueIcebergCommitCallback.class);

  private FileStoreTable table;
  private Catalog catalog;

  /** Called by Paimon's {@code CallbackUtils}, which then hands over the table with {@link #setTable}. */
  public GlueIcebergCommitCallback() {
  }

  @Override
  public void setTable(FileStoreTable table) {
    this.table = table;
  }

  @Override
  public void call(Context context) {
    register(context.snapshot);
  }

  @Override
  public void retry(ManifestCommittable committable) {
    // the commit was made before (a replayed checkpoint): make sure Glue points at its metadata
    Snapshot latest = table.snapshotManager().latestSnapshot();
    if (latest != null) {
      register(latest);
    }
  }

  private void register(Snapshot snapshot) {
    if (table == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " was not given its table");
    }
    Path metadata = new IcebergPathFactory(IcebergCommitCallback.catalogTableMetadataPath(table))
        .toMetadataPath(snapshot.id());
    try {
      if (!table.fileIO().exists(metadata)) {
        LOG.warn("no Iceberg metadata {} for snapshot {} of {}; Glue is not updated", metadata, snapshot.id(),
            table.fullName());
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check Iceberg metadata " + metadata + " of " + table.fullName(), e);
    }
    Identifier identifier = table.catalogEnvironment().identifier();
    glueCatalog().commitIcebergMetadata(identifier, table.options(), table.location(), table.schema().fields(),
        metadata, snapshot.id());
  }

  private GlueCatalog glueCatalog() {
    if (catalog == null) {
      if (table.catalogEnvironment().catalogLoader() == null) {
        throw new IllegalStateException("table " + table.fullName() + " was not loaded through a catalog; "
            + "its Iceberg metadata cannot be registered in Glue");
      }
      catalog = table.catalogEnvironment().catalogLoader().load();
    }
    Catalog root = DelegateCatalog.rootCatalog(catalog);
    if (!(root instanceof GlueCatalog glue)) {
      throw new IllegalStateException("table " + table.fullName() + " is in a " + root.getClass().getSimpleName()
          + ", not a Glue catalog; remove " + getClass().getName() + " from its commit.callbacks");
    }
    return glue;
  }

  @Override
  public void close() throws Exception {
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }
}
