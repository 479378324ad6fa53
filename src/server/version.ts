/** The version reported to clients; Emby clients gate features on a 3.x+ server. */
export const SERVER_VERSION = '3.2.0.0';
