/** The uploaded genomes: blobs looked up by name and opened by byte ranges. */
import { type BlobRef, CONTAINERS, type GenomeRef } from '../../shared/contracts';
import { isLagError } from '../../shared/errors';
import { BlobRangeFilehandle, getBlobProperties, getContainerClient, mapStorageError } from './blobs';

/** The blob pinned to its current ETag (and version), or null when it does not exist. */
export async function findBlob(container: string, name: string): Promise<BlobRef | null> {
  try {
    const p = await getBlobProperties(container, name);
    return { container, name, etag: p.etag, ...(p.versionId ? { versionId: p.versionId } : {}) };
  } catch (e) {
    if (isLagError(e) && e.fault === 'not-found') return null;
    throw e;
  }
}

/** Range file handles on the BAM and its index, both pinned to the versions the analysis started with. */
export function openGenome(genome: GenomeRef): { bam: BlobRangeFilehandle; bai: BlobRangeFilehandle } {
  return { bam: BlobRangeFilehandle.fromRef(genome.bam), bai: BlobRangeFilehandle.fromRef(genome.bai) };
}

/** Every blob of a container with its current ETag (the local watcher polls this). */
export async function listBlobs(container: string): Promise<{ name: string; etag: string }[]> {
  const out: { name: string; etag: string }[] = [];
  try {
    // Listings give ETags bare, property reads quoted: quote them so both compare equal.
    for await (const b of getContainerClient(container).listBlobsFlat()) out.push({ name: b.name, etag: quoteEtag(b.properties.etag ?? '') });
  } catch (e) {
    throw mapStorageError(e, `container ${container}`);
  }
  return out;
}

/** Uploads a local file in blocks (never whole in memory), as the sequencing platform would. */
export async function uploadGenomeFile(localPath: string, blobName: string): Promise<BlobRef> {
  try {
    const r = await getContainerClient(CONTAINERS.genomes)
      .getBlockBlobClient(blobName)
      .uploadFile(localPath, { blockSize: 8 * 1024 * 1024, concurrency: 4 });
    return { container: CONTAINERS.genomes, name: blobName, etag: r.etag ?? '', ...(r.versionId ? { versionId: r.versionId } : {}) };
  } catch (e) {
    throw mapStorageError(e, `${CONTAINERS.genomes}/${blobName}`);
  }
}

/** `0x8D…` → `"0x8D…"` (the form of the ETag header). */
export function quoteEtag(etag: string): string {
  return etag.startsWith('"') || etag.startsWith('W/') ? etag : `"${etag}"`;
}
