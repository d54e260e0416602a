import * as iconv from 'iconv-lite';

export interface DecodedXml {
  text: string;
  /** The encoding the bytes were actually decoded with (iconv-lite name). */
  encoding: string;
  warnings: string[];
}

export class XmlEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlEncodingError';
  }
}

/**
 * Bytes of an XML file → text, honouring the XML declaration's `encoding` (XML 1.0 §4.3.3).
 * Norwegian SAF-T files come as UTF-8 (with or without BOM), ISO-8859-1 or windows-1252, and
 * the label is not always right, so:
 * - a BOM wins over the declaration (UTF-8, UTF-16 LE/BE);
 * - no declared encoding means UTF-8;
 * - "UTF-8" that is not valid UTF-8 is read as windows-1252, with a warning (the usual culprit);
 * - "ISO-8859-1" with bytes 0x80–0x9F (C1 controls, never meant in a SAF-T file) is read as
 *   windows-1252, with a warning — those bytes are €, ‰, curly quotes … in practice.
 */
export function decodeXml(buf: Buffer): DecodedXml {
  const warnings: string[] = [];

  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return {
      text: strictUtf8(buf.subarray(3)) ?? fail('the file starts with a UTF-8 BOM but is not valid UTF-8'),
      encoding: 'utf8',
      warnings,
    };
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le', warnings };
  }
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be', warnings };
  }

  // The declaration is ASCII in every ASCII-compatible encoding, so latin1 reads it safely.
  const head = buf.subarray(0, 200).toString('latin1');
  const declared = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head)?.[1];
  const label = (declared ?? 'UTF-8').toLowerCase();

  if (label === 'utf-8' || label === 'utf8') {
    const text = strictUtf8(buf);
    if (text !== undefined) return { text, encoding: 'utf8', warnings };
    warnings.push('the file declares UTF-8 but is not valid UTF-8; read as windows-1252');
    return { text: iconv.decode(buf, 'windows-1252'), encoding: 'windows-1252', warnings };
  }

  if (['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1'].includes(label)) {
    if (buf.some((b) => b >= 0x80 && b <= 0x9f)) {
      warnings.push(`the file declares ${declared} but contains windows-1252 characters; read as windows-1252`);
      return { text: iconv.decode(buf, 'windows-1252'), encoding: 'windows-1252', warnings };
    }
    return { text: iconv.decode(buf, 'latin1'), encoding: 'latin1', warnings };
  }

  if (!iconv.encodingExists(label)) throw new XmlEncodingError(`unsupported XML encoding ${declared}`);
  return { text: iconv.decode(buf, label), encoding: label, warnings };
}

function strictUtf8(buf: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}

function fail(message: string): never {
  throw new XmlEncodingError(message);
}
