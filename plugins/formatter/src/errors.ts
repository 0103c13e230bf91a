// Every error the formatter raises. Codes are stable (`US_FORMATTER_…`); thrown from the
// Shape tap, a coded 4xx becomes the answer with its status, code and message (kernel rule).
import { defineError } from '@understudy/plugin-sdk';

export const FormatterErrors = {
  NOT_ACCEPTABLE: defineError('US_FORMATTER_NOT_ACCEPTABLE', 406, (accept: string, available: readonly string[]) => ({
    message:
      `Nothing in "Accept: ${accept}" can be served. This resource is available as ${available.join(', ')}; ` +
      `send one of them in Accept (or */*), or ask with ?format=json or ?format=xml.`,
    available: [...available],
  })),
  BAD_FORMAT: defineError('US_FORMATTER_BAD_FORMAT', 400, (format: string) => ({
    message: `Unknown ?format=${format}. Use ?format=json or ?format=xml (or leave it out and send Accept).`,
    available: ['json', 'xml'],
  })),
  BAD_PRETTY: defineError(
    'US_FORMATTER_BAD_PRETTY',
    400,
    (value: string) => `?pretty=${value} is neither on nor off. Use ?pretty (or ?pretty=true / 1) to indent, ?pretty=false (or 0) not to.`,
  ),
} as const;
