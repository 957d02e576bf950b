/** The latest HR data of each employee, and the terms a search finds them by. */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Employee } from '../../engine/model';
import { searchTerms } from '../../engine/employee-search';
import { keys } from '../table-schema';
import type { EmployeeStore } from '../lifecycle-store';
import { strip, type DynamoTable } from './dynamo-table';

export class DynamoEmployeeRepository implements EmployeeStore {
  constructor(private readonly table: DynamoTable) {}

  async putEmployee(employee: Employee, updatedAt: string) {
    await this.table.doc.send(
      new PutCommand({ TableName: this.table.name, Item: { ...keys.employee(employee.id), kind: 'employee', ...employee, updatedAt } }),
    );
    // A few small items in one partition; a term an earlier profile had stays, and the search checks the profile.
    await Promise.all(
      searchTerms(employee).map((term) =>
        this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { ...keys.employeeSearch(term, employee.id), kind: 'employee-search', employeeId: employee.id } })),
      ),
    );
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
