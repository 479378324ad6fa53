/** JSON-schema fragments shared by routes. Ids accept dashed/upper-case GUIDs; handlers normalise them. */
export const guid = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$',
} as const;
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
export const userIdParams = {
  type: 'object',
  required: ['userId'],
  properties: { userId: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
export const paging = {
  StartIndex: { type: 'integer', minimum: 0, maximum: 1e9 },
  Limit: { type: 'integer', minimum: 0, maximum: 1e6 },
} as const;
export const csvStrings = { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 10000 } as const;
