/** The tag that binds an Amazon Connect agent to the HR employee id, as Google's externalIds bind a Google account. */
export const CONNECT_EMPLOYEE_TAG = 'lifecycle:employee-id';
