import { createRequire } from 'node:module';
import type { MethodDefinition, Server, ServiceDefinition, UntypedHandleCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ReflectionService } from '@grpc/reflection';
import { FILE_DESCRIPTOR_PROTOS } from '../generated/file-descriptors.js';
import { checkedRequests } from './request-decoding.js';

type PackageDefinition = ConstructorParameters<typeof ReflectionService>[0];

const require = createRequire(import.meta.url);

/** The two published versions of the reflection protocol; both have one bidi method. */
const REFLECTION_SERVICES = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'] as const;
const METHOD = 'ServerReflectionInfo';

interface LoadedMethod {
  readonly definition: MethodDefinition<unknown, unknown>;
  readonly handler: UntypedHandleCall;
}

/**
 * Server reflection over the generated descriptors (the nexus.v1 API plus the standard health and
 * reflection services), so grpcurl and other generic clients work without our .proto files.
 *
 * The reflection library is loaded on the first reflection call, not at start-up: importing it
 * loads protobufjs and parses its own .proto files, and building its index parses ours, tens of
 * milliseconds that only grpcurl-style clients need. The server gets each method's path and
 * shape up front (they are fixed by the protocol) with serializers and a handler that hand over
 * to the library's own once it is loaded.
 */
export function addReflection(server: Server): void {
  let loaded: Map<string, LoadedMethod> | undefined;
  const method = (service: string): LoadedMethod => {
    loaded ??= loadReflection();
    const found = loaded.get(service);
    if (!found) throw new Error(`@grpc/reflection no longer serves ${service}; update the gateway's reflection adapter`);
    return found;
  };
  for (const service of REFLECTION_SERVICES) {
    const lazy: MethodDefinition<unknown, unknown> = {
      path: `/${service}/${METHOD}`,
      requestStream: true,
      responseStream: true,
      requestSerialize: (value) => method(service).definition.requestSerialize(value),
      requestDeserialize: (bytes) => method(service).definition.requestDeserialize(bytes),
      responseSerialize: (value) => method(service).definition.responseSerialize(value),
      responseDeserialize: (bytes) => method(service).definition.responseDeserialize(bytes),
    };
    const definition: ServiceDefinition = { [METHOD]: lazy };
    const implementation: UntypedServiceImplementation = {
      [METHOD]: ((call: unknown) => (method(service).handler as (call: unknown) => void)(call)) as UntypedHandleCall,
    };
    // The library decodes with protobufjs, which takes bytes, not a reader: malformed requests are still caught.
    server.addService(checkedRequests(definition, { strictUtf8: false }), implementation);
  }
}

/** Builds the library's service over our descriptors and takes each method's definition and handler. */
function loadReflection(): Map<string, LoadedMethod> {
  const { ReflectionService: Service } = require('@grpc/reflection') as { ReflectionService: typeof ReflectionService };
  const fileDescriptorProtos = FILE_DESCRIPTOR_PROTOS.map((base64) => Buffer.from(base64, 'base64'));
  // The reflection library reads only `fileDescriptorProtos` from each package entry.
  const reflection = new Service({ 'nexus.v1': { fileDescriptorProtos } } as unknown as PackageDefinition);
  const methods = new Map<string, LoadedMethod>();
  reflection.addToServer({
    addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation) {
      const methodDefinition = definition[METHOD];
      const handler = implementation[METHOD];
      if (!methodDefinition || !handler) return;
      const service = REFLECTION_SERVICES.find((name) => methodDefinition.path === `/${name}/${METHOD}`);
      if (service) methods.set(service, { definition: methodDefinition as MethodDefinition<unknown, unknown>, handler });
    },
  } as unknown as Server);
  return methods;
}
