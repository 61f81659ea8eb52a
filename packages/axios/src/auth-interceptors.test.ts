import type { ContractBody } from '@grantkit/test-servers/contract';
import { describeClientAdapter } from '@grantkit/test-servers/contract';
import axios, { type AxiosRequestConfig, isAxiosError } from 'axios';
import { authInterceptors } from './auth-interceptors.js';

const data = (body: ContractBody | undefined): AxiosRequestConfig => {
  if (!body) return {};
  if (body.kind === 'text') return { data: body.value, headers: { 'content-type': 'text/plain' } };
  return { data: body.value };
};

describeClientAdapter({
  name: 'authInterceptors',
  client: (source, origins) => {
    const instance = axios.create();
    authInterceptors(instance, source, { origins });
    return async (url, request = {}) => {
      const config: AxiosRequestConfig = {
        url,
        method: request.method ?? 'GET',
        headers: { ...request.headers },
        ...data(request.body),
        ...(request.signal ? { signal: request.signal } : {}),
      };
      config.headers = { ...data(request.body).headers, ...request.headers };
      try {
        const response = await instance.request(config);
        return { status: response.status, body: response.data };
      } catch (error) {
        if (isAxiosError(error) && error.response)
          return { status: error.response.status, body: error.response.data };
        throw error;
      }
    };
  },
});
