/** Photos: an image that is not artwork is a Photo item named after its file. */
import path from 'node:path';

export interface PhotoLayout {
  type: 'Photo';
  name: string;
}

export function parsePhotoPath(file: string): PhotoLayout {
  return { type: 'Photo', name: path.parse(file).name };
}
