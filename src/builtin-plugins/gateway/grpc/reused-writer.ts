import { BinaryWriter } from '@bufbuild/protobuf/wire';

interface Encodes<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
}

/**
 * A serializer for a message type that keeps one protobuf writer between messages. The generated
 * one starts every message in a fresh 128-byte buffer, doubles it until the message fits, then
 * copies the bytes out twice; on a stream that writes a few messages per turn, that was a
 * measurable share of each write. Encoding is synchronous, so one writer per serializer is safe.
 */
export function reusedWriterSerializer<T>(type: Encodes<T>): (message: T) => Buffer {
  let writer = new BinaryWriter();
  return (message) => {
    try {
      // finish() copies out what was written and rewinds the writer, keeping its grown buffer.
      const bytes = type.encode(message, writer).finish();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      // A message that fails half-way must not leave its bytes in front of the next one.
      writer = new BinaryWriter();
      throw error;
    }
  };
}
