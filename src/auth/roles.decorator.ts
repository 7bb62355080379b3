import { SetMetadata } from '@nestjs/common';
import { Role } from '../persistence/models';

export const ROLE_KEY = 'risk:required-role';
/** The least role an operation needs (viewer < analyst < risk_manager < admin). */
export const Roles = (role: Role) => SetMetadata(ROLE_KEY, role);

export const ROLE_RANK: Record<Role, number> = { viewer: 0, analyst: 1, risk_manager: 2, admin: 3 };
export const ROLES = Object.keys(ROLE_RANK) as Role[];
