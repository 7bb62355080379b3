/** Marks a message payload that is not valid JSON; the validation pipe answers it as INVALID_INPUT. */
export class MalformedPayload {
  constructor(readonly reason: string) {}
}
