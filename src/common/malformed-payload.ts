/** Marks a message payload that was refused while parsing (not JSON, too deep, bad text); the validation pipe answers it as INVALID_INPUT. */
export class MalformedPayload {
  constructor(readonly messages: string[]) {}
}
