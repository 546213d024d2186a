export { createGatewayApp, type GatewayApp } from './gateway-app.js';
export { gatewayConfigSchema, type GatewayConfig, type WriteKey } from './config.js';
export { mappingSchema, parseMapping, readMappingFile, type Mapping } from './mapping-file.js';
export { signHelpdeskBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './helpdesk-signature.js';
