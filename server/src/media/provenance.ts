/**
 * Provenance of the files the plugin stores: the IPTC "digital source type" (what the EU AI Act's labelling duty
 * and the IPTC/C2PA vocabularies call AI-generated media), the model, the provider and the job, written as XMP into
 * every encoded file and recorded on the Media Library row (`provider_metadata.aiAssets`) for front ends.
 */

const SOURCE_TYPE_BASE = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
/** Made from scratch by a model (generate). */
export const TRAINED_ALGORITHMIC_MEDIA = `${SOURCE_TYPE_BASE}trainedAlgorithmicMedia`;
/** A real image changed by a model (edit). */
export const COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA = `${SOURCE_TYPE_BASE}compositeWithTrainedAlgorithmicMedia`;

/** Our own XMP namespace for the facts IPTC has no property for (provider, job). */
export const AI_ASSETS_XMP_NAMESPACE = 'https://strapi-plugin-ai-assets.dev/ns/1.0/';

export interface Provenance {
  digitalSourceType: string;
  provider: string;
  model: string | null;
  jobId: number;
  /** When the job ran (ISO), the XMP create date. */
  createdAt: string;
}

/** What the Media Library row records under `provider_metadata.aiAssets` (and the job under `result.provenance`). */
export interface StoredProvenance extends Provenance {
  aiGenerated: true;
  /** The provider's bytes were stored untouched (a C2PA manifest they carry survives); no XMP of ours then. */
  providerBytesKept: boolean;
  /** A C2PA manifest (JUMBF `c2pa` box) was found in the provider's bytes. */
  c2paManifestInSource: boolean;
}

export function provenanceFor(job: { id: number; operation: 'generate' | 'edit'; provider: string; model: string | null }, model: string | null, createdAt = new Date()): Provenance {
  return {
    digitalSourceType: job.operation === 'edit' ? COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA : TRAINED_ALGORITHMIC_MEDIA,
    provider: job.provider,
    model: model ?? job.model ?? null,
    jobId: job.id,
    createdAt: createdAt.toISOString(),
  };
}

const escapeXml = (value: string) =>
  value.replace(/[<>&"']/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[character] as string);

/** The XMP packet written into every file the plugin encodes (sharp `withXmp`). */
export function provenanceXmp(provenance: Provenance): string {
  const model = provenance.model ? escapeXml(provenance.model) : '';
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    `    xmlns:aiAssets="${AI_ASSETS_XMP_NAMESPACE}"`,
    `    Iptc4xmpExt:DigitalSourceType="${escapeXml(provenance.digitalSourceType)}"`,
    ...(model ? [`    Iptc4xmpExt:AISystemUsed="${model}"`, `    aiAssets:Model="${model}"`] : []),
    `    aiAssets:Provider="${escapeXml(provenance.provider)}"`,
    `    aiAssets:JobId="${provenance.jobId}"`,
    '    xmp:CreatorTool="strapi-plugin-ai-assets"',
    `    xmp:CreateDate="${escapeXml(provenance.createdAt)}"/>`,
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ];
  return lines.join('\n');
}

/** C2PA manifests live in a JUMBF box labelled "c2pa" (JPEG APP11, PNG caBX, WebP/AVIF boxes). */
export function hasC2paManifest(bytes: Buffer): boolean {
  const jumbf = bytes.indexOf('jumb');
  return jumbf !== -1 && bytes.indexOf('c2pa', jumbf) !== -1;
}
