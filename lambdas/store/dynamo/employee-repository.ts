/** The latest HR data of each employee, and the terms a search finds them by. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Employee } from '../../engine/model';
import { searchTerms } from '../../engine/employee-search';
import { keys } from '../table-schema';
import type { EmployeeStore } from '../lifecycle-store';
import { strip, type DynamoTable } from './dynamo-table';

export class DynamoEmployeeRepository implements EmployeeStore {
  constructor(private readonly table: DynamoTable) {}

  async putEmployee(employee: Employee, updatedAt: string) {
    const before = await this.getEmployee(employee.id);
    await this.table.doc.send(
      new PutCommand({ TableName: this.table.name, Item: { ...keys.employee(employee.id), kind: 'employee', ...employee, updatedAt } }),
    );
    // Only the terms that changed are written, in one shared partition: a repeated event writes none there, and an old
    // name or address is deleted, so a person is not found by what they are no longer called.
    const now = searchTerms(employee);
    const old = before ? searchTerms(before) : [];
    await Promise.all([
      ...now
        .filter((t) => !old.includes(t))
        .map((term) => this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { ...keys.employeeSearch(term, employee.id), kind: 'employee-search', employeeId: employee.id } }))),
      ...old.filter((t) => !now.includes(t)).map((term) => this.table.doc.send(new DeleteCommand({ TableName: this.table.name, Key: keys.employeeSearch(term, employee.id) }))),
    ]);
  }

  async getEmployee(employeeId: string) {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.employee(employeeId) }));
    return strip<Employee>(out.Item, ['updatedAt']);
  }

  async searchEmployees(prefix: string, limit: number) {
    const out = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.employeeSearchPartition, ':prefix': prefix },
        ProjectionExpression: 'employeeId',
        Limit: limit,
      }),
    );
    return [...new Set((out.Items ?? []).map((i) => i.employeeId).filter((id): id is string => typeof id === 'string'))];
  }
}
