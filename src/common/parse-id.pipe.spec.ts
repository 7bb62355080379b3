import { ValidationError } from './errors';
import { ParseIdPipe, ParseUuidPipe } from './parse-id.pipe';

const param = (data: string) => ({ type: 'param' as const, data });

describe('ParseIdPipe', () => {
  it.each(['desk-7', 'SMI', 'a.b_c:d-e', 'x'.repeat(64)])('accepts the client id %p', (id) => {
    expect(new ParseIdPipe().transform(id, param('id'))).toBe(id);
  });

  it.each(['', 'x'.repeat(65), 'has space', 'slash/inside', 'ünï', "quote'"])('refuses %p with a 400 naming the parameter', (id) => {
    const call = () => new ParseIdPipe().transform(id, param('asset_id'));
    expect(call).toThrow(ValidationError);
    expect(call).toThrow('asset_id must be 1 to 64 characters of letters, digits and . _ : -');
  });

  it('accepts a UUID where one is expected', () => {
    expect(new ParseUuidPipe().transform('3F2B6C1E-9A4D-4E8F-B1C2-7D5E0A9B8C6F', param('id'))).toBe('3F2B6C1E-9A4D-4E8F-B1C2-7D5E0A9B8C6F');
  });

  it('refuses a client id where a UUID is expected', () => {
    expect(() => new ParseUuidPipe().transform('desk-7', param('id'))).toThrow('id must be a UUID');
  });
});
