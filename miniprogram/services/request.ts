import { ApiError } from './api-error';
import { send, type HttpRequest, type HttpResponse } from './http';
import { currentToken, login } from './session';

export type ApiRequest = Omit<HttpRequest, 'token'>;

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * An authorised call to the API. A 401 means the stored token is stale (expired, or signed with a rotated
 * secret): sign in again once and repeat; a second 401 is an error like any other.
 */
export async function request<TReply>(call: ApiRequest): Promise<TReply> {
  let response: HttpResponse = await send({ ...call, token: await currentToken() });
  if (response.status === 401) {
    const { token } = await login();
    response = await send({ ...call, token });
  }
  if (!isSuccess(response.status)) throw ApiError.fromResponse(response.status, response.body);
  return response.body as TReply;
}
