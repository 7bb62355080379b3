import { ClsServiceManager } from 'nestjs-cls';

// A symbol: nestjs-cls reads a string key as a dotted path (split and walked on every get and set).
const ACTOR_KEY = Symbol('actor');

/** Who is acting (the API key's name), for the audit log and acknowledgements. */
export function currentActor(): string {
  const cls = ClsServiceManager.getClsService();
  return (cls.isActive() && (cls.get(ACTOR_KEY) as string | undefined)) || 'system';
}

export function setActor(name: string): void {
  const cls = ClsServiceManager.getClsService();
  if (cls.isActive()) cls.set(ACTOR_KEY, name);
}
