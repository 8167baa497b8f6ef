/** The body of `POST /api/users` that creates the sandbox PBX's test user alice (extension 1001) with `password`. */
export function aliceUserBody(password: string): Record<string, string> {
  return {
    name: 'alice',
    password,
    email: 'alice@contoso.com',
    display_name: 'Alice',
    role: 'StandardUser',
    extension_number: '1001',
    extension_password: 'Sip!Pass4wq',
    voicemail_pin: '250794',
  };
}
