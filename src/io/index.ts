export { save, saveSync, serializeSafetensors, type SaveOptions } from './write.js';
export { load, loadSync, loadMetadataSync, parseSafetensors } from './read.js';
