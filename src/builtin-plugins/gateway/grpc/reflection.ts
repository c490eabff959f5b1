import { ReflectionService } from '@grpc/reflection';
import { FILE_DESCRIPTOR_PROTOS } from '../generated/file-descriptors.js';

type PackageDefinition = ConstructorParameters<typeof ReflectionService>[0];

/**
 * Server reflection over the generated descriptors (the nexus.v1 API plus the standard health and
 * reflection services), so grpcurl and other generic clients work without our .proto files.
 */
export function createReflectionService(): ReflectionService {
  const fileDescriptorProtos = FILE_DESCRIPTOR_PROTOS.map((base64) => Buffer.from(base64, 'base64'));
  // The reflection library reads only `fileDescriptorProtos` from each package entry.
  const definition = { 'nexus.v1': { fileDescriptorProtos } } as unknown as PackageDefinition;
  return new ReflectionService(definition);
}
