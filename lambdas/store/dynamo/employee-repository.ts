/** The latest HR data of each employee. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Employee } from '../../engine/model';
import { keys } from '../table-schema';
import type { EmployeeStore } from '../lifecycle-store';
import { strip, type DynamoTable } from './dynamo-table';

export class DynamoEmployeeRepository implements EmployeeStore {
  constructor(private readonly table: DynamoTable) {}

  async putEmployee(employee: Employee, updatedAt: string) {
    await this.table.doc.send(
      new PutCommand({ TableName: this.table.name, Item: { ...keys.employee(employee.id), kind: 'employee', ...employee, updatedAt } }),
    );
  }

  async getEmployee(employeeId: string) {
    const out = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: keys.employee(employeeId) }));
    return strip<Employee>(out.Item, ['updatedAt']);
  }
}
