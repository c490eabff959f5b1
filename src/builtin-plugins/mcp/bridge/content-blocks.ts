import type { Attachment } from '@nexus/plugin-sdk';
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/** Text the model reads, and binary parts passed on beside it. */
export interface RenderedContent {
  readonly text: string;
  readonly attachments: Attachment[];
}

export interface RenderOptions {
  /** Whether the caller can pass attachments on; otherwise binary parts become a note. */
  readonly attachments: boolean;
}

type ResourceContents = { uri: string; mimeType?: string; text?: string; blob?: string };

/**
 * MCP content as text plus attachments. Text blocks are joined with newlines (as Go did);
 * images, audio and binary resources become attachments with a one-line mention in the text, or,
 * when the caller cannot carry attachments, a note saying what was left out, so the model never
 * claims to have seen something it did not get.
 */
export class ContentRenderer {
  private readonly parts: string[] = [];
  private readonly files: Attachment[] = [];

  constructor(private readonly options: RenderOptions) {}

  add(block: ContentBlock | { type: string }): void {
    const b = block as ContentBlock;
    switch (b.type) {
      case 'text':
        this.parts.push(b.text);
        return;
      case 'image':
      case 'audio':
        this.binary(b.type, b.mimeType, b.data, undefined);
        return;
      case 'resource':
        this.resource(b.resource as ResourceContents);
        return;
      case 'resource_link':
        this.parts.push(`[resource link: ${b.name} <${b.uri}>${b.mimeType ? ` (${b.mimeType})` : ''}${b.description ? `: ${b.description}` : ''}; read it with mcp_read_resource]`);
        return;
      default:
        this.parts.push(`[content of type ${JSON.stringify((block as { type: string }).type)} left out: Nexus cannot pass it on]`);
    }
  }

  resource(contents: ResourceContents): void {
    if (typeof contents.text === 'string') {
      this.parts.push(`[resource ${contents.uri}${contents.mimeType ? ` (${contents.mimeType})` : ''}]\n${contents.text}`);
    } else if (typeof contents.blob === 'string') {
      this.binary('resource', contents.mimeType ?? 'application/octet-stream', contents.blob, fileNameOf(contents.uri));
    }
  }

  note(text: string): void {
    this.parts.push(text);
  }

  result(): RenderedContent {
    return { text: this.parts.join('\n'), attachments: this.files };
  }

  private binary(kind: string, mimeType: string, base64: string, name: string | undefined): void {
    const data = Buffer.from(base64, 'base64');
    const size = formatSize(data.byteLength);
    if (!this.options.attachments) {
      this.parts.push(`[${kind} left out (${mimeType}, ${size}): this conversation cannot carry attachments]`);
      return;
    }
    const fileName = name ?? `${kind}-${this.files.length + 1}${extensionOf(mimeType)}`;
    this.files.push({ name: fileName, mimeType, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    this.parts.push(`[${kind} attached: ${fileName} (${mimeType}, ${size})]`);
  }
}

function fileNameOf(uri: string): string | undefined {
  const last = uri.split(/[/\\]/).filter(Boolean).at(-1);
  return last && last.length <= 128 ? last : undefined;
}

function extensionOf(mimeType: string): string {
  const sub = /^[a-z]+\/([a-z0-9.+-]+)/i.exec(mimeType)?.[1]?.toLowerCase();
  if (!sub) return '';
  const known: Record<string, string> = { jpeg: '.jpg', 'svg+xml': '.svg', mpeg: '.mp3', 'x-wav': '.wav' };
  return known[sub] ?? `.${sub.replace(/[^a-z0-9]/g, '')}`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
