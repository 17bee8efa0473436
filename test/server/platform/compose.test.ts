import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('docker-compose.yml', () => {
  it('is valid compose (checked without an engine) with mongo as a replica set, healthchecks and the server', () => {
    const result = spawnSync('docker-compose', ['config'], { env: { ...process.env, ADMIN_PASSWORD: 'compose-check-pw' }, encoding: 'utf8' });
    expect(result.error, 'docker-compose is installed by .ci/run').toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('image: mongo:7');
    expect(result.stdout).toContain('rs0');
    expect(result.stdout).toMatch(/condition: service_healthy/);
    expect(result.stdout).toContain('MONGODB_URI: mongodb://mongo:27017/?replicaSet=rs0');
  });

  it('refuses to start the server without an admin password', () => {
    const env = { ...process.env };
    delete env.ADMIN_PASSWORD;
    const result = spawnSync('docker-compose', ['config'], { env, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set ADMIN_PASSWORD');
  });
});
