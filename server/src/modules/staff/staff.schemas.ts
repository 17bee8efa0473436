import { Type } from 'typebox';
import { StrictObject } from '../../../../shared/src/schema.ts';
import { ROLES } from './permissions.ts';

export const RoleSchema = Type.Enum(ROLES);
export const EmailSchema = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' });
export const PasswordSchema = Type.String({ minLength: 10, maxLength: 200 });

export const StaffIdentitySchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
});

export const StaffRowSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
});

export const LoginBody = StrictObject({ email: EmailSchema, password: Type.String({ minLength: 1, maxLength: 200 }) });

export const CreateStaffBody = StrictObject({
  email: EmailSchema,
  name: Type.String({ minLength: 1, maxLength: 80 }),
  role: RoleSchema,
  password: PasswordSchema,
});

export const UpdateStaffBody = StrictObject(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    role: Type.Optional(RoleSchema),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(PasswordSchema),
  },
  { minProperties: 1 },
);
