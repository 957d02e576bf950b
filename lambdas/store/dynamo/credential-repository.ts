/** Sealed initial passwords and their one-time reveal links (only the SHA-256 of a link's token is kept). */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys, TABLE, ttlSeconds } from '../table-schema';
import { refusedClaim, type CredentialRecord, type CredentialStore, type RevealClaim } from '../lifecycle-store';
import { isConditionFailure, strip, type DynamoTable } from './dynamo-table';

export class DynamoCredentialRepository implements CredentialStore {
  constructor(private readonly table: DynamoTable) {}

  async putCredential(record: CredentialRecord) {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          // Never revealed, the sealed password leaves the table at its expiry (DynamoDB TTL), not years later.
          Item: { ...keys.credential(record.employeeId, record.runId), kind: 'credential', ...record, [TABLE.ttlAttribute]: ttlSeconds(record.expiresAt) },
          // A password someone has already seen is never replaced behind their back.
          ConditionExpression: 'attribute_not_exists(revealedAt)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getCredential(employeeId: string, runId: string) {
    const out = await this.table.doc.send(
      new GetCommand({ TableName: this.table.name, Key: keys.credential(employeeId, runId), ConsistentRead: true }),
    );
    return strip<CredentialRecord>(out.Item);
  }

  async issueRevealToken(employeeId: string, runId: string, tokenHash: string, issuedAt: string, expiresAt: string) {
    // The pointer goes first: a token in a mail can always be followed to its record.
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.revealLink(tokenHash), kind: 'reveallink', employeeId, runId, createdAt: issuedAt, [TABLE.ttlAttribute]: ttlSeconds(expiresAt) },
      }),
    );
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.credential(employeeId, runId),
          UpdateExpression: 'SET revealTokenHash = :h, tokenIssuedAt = :at, expiresAt = :exp, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(PK) AND attribute_exists(ciphertext) AND attribute_not_exists(revealedAt)',
          ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':h': tokenHash, ':at': issuedAt, ':exp': expiresAt, ':ttl': ttlSeconds(expiresAt) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private async revealTarget(tokenHash: string): Promise<{ employeeId: string; runId: string } | undefined> {
    const ref = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.revealLink(tokenHash), ConsistentRead: true }));
    const { employeeId, runId } = ref.Item ?? {};
    return typeof employeeId === 'string' && typeof runId === 'string' ? { employeeId, runId } : undefined;
  }

  async findByRevealToken(tokenHash: string) {
    const target = await this.revealTarget(tokenHash);
    const record = target && (await this.getCredential(target.employeeId, target.runId));
    return record?.revealTokenHash === tokenHash ? record : undefined;
  }

  async claimReveal(tokenHash: string, now: string): Promise<RevealClaim> {
    const target = await this.revealTarget(tokenHash);
    if (!target) return { outcome: 'unknown' };
    try {
      const out = await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.credential(target.employeeId, target.runId),
          // Marked revealed and emptied in the same write: the ciphertext leaves the table with the one claim that wins.
          UpdateExpression: 'SET revealedAt = :now REMOVE ciphertext',
          ConditionExpression: 'revealTokenHash = :h AND attribute_exists(ciphertext) AND attribute_not_exists(revealedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':h': tokenHash, ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = strip<CredentialRecord>(out.Attributes);
      if (!old?.ciphertext) throw new Error(`credential of run ${target.runId}: the claim returned no ciphertext`);
      const { ciphertext, ...rest } = old;
      return { outcome: 'revealed', record: { ...rest, revealedAt: now }, ciphertext };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const record = await this.getCredential(target.employeeId, target.runId);
    return refusedClaim(record, tokenHash, now);
  }

  async releaseReveal(record: CredentialRecord, ciphertext: string, revealedAt: string) {
    await this.table.doc.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.credential(record.employeeId, record.runId),
        UpdateExpression: 'SET ciphertext = :c REMOVE revealedAt',
        ConditionExpression: 'revealedAt = :at AND attribute_not_exists(ciphertext)',
        ExpressionAttributeValues: { ':c': ciphertext, ':at': revealedAt },
      }),
    );
  }

  async deleteExpiredCredential(record: CredentialRecord, now: string) {
    try {
      await this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: keys.credential(record.employeeId, record.runId),
          // Still the same link, still expired: a welcome email sent meanwhile issued a new link that must keep working.
          ConditionExpression: 'expiresAt <= :now AND expiresAt = :exp AND attribute_not_exists(revealedAt)',
          ExpressionAttributeValues: { ':now': now, ':exp': record.expiresAt },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
    if (record.revealTokenHash) {
      await this.table.doc.send(new DeleteCommand({ TableName: this.table.name, Key: keys.revealLink(record.revealTokenHash) }));
    }
    return true;
  }
}
