import type { Migration } from '../migrate.js';

export const m004DeviceNamesPasswordChange: Migration = {
  version: 4,
  name: 'devices: a custom name that a sign-in does not overwrite; users: a must-change-password flag',
  up(db) {
    db.exec(`
      -- devices.name is what the client reports at each sign-in ("Chrome on Linux"); the name a person
      -- gives the device (POST /Devices/Options {CustomName}) lives apart, so a sign-in never undoes it.
      ALTER TABLE devices ADD COLUMN custom_name TEXT;

      -- Set for the administrator created with a generated password (printed once on the console), until
      -- that password is changed: the app asks for a new one at the first sign-in.
      ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
