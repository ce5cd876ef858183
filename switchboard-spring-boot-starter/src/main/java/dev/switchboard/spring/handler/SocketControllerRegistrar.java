package dev.switchboard.spring.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Binds every {@link SocketController} bean to its namespace once the singletons exist, before
 * the server listens. Two handlers of one event in one namespace are refused at startup.
 */
public final class SocketControllerRegistrar implements SmartInitializingSingleton {
  private final ApplicationContext context;
  private final SocketIoServer io;
  private final ObjectMapper mapper;
  private final PayloadValidator validator;
  private final HandlerScope scope;
  private final Consumer<Namespace> onNamespace;

  /**
   * @param scope what runs around each handler call
   * @param onNamespace called once for each namespace a controller uses, before binding (to watch
   *     the tokens of its sockets, say)
   */
  public SocketControllerRegistrar(ApplicationContext context, SocketIoServer io, ObjectMapper mapper, PayloadValidator validator,
      HandlerScope scope, Consumer<Namespace> onNamespace) {
    this.context = context;
    this.io = io;
    this.mapper = mapper;
    this.validator = validator;
    this.scope = scope;
    this.onNamespace = onNamespace;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Map<String, Map<String, String>> eventOwners = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : context.getBeansWithAnnotation(SocketController.class).entrySet()) {
      Object bean = entry.getValue();
      Class<?> type = AopUtils.getTargetClass(bean);
      SocketController controller = AnnotatedElementUtils.findMergedAnnotation(type, SocketController.class);
      String namespace = controller.value();
      ControllerBinding binding = binding(entry.getKey(), bean, type);
      Map<String, String> owners = eventOwners.computeIfAbsent(namespace, name -> {
        onNamespace.accept(io.of(name));
        return new LinkedHashMap<>();
      });
      for (String event : binding.events().keySet()) {
        String previous = owners.putIfAbsent(event, entry.getKey());
        if (previous != null) {
          throw new IllegalStateException("event \"" + event + "\" of namespace " + namespace + " has two handlers: in "
              + previous + " and " + entry.getKey());
        }
      }
      binding.bindTo(io.of(namespace));
    }
  }

  private ControllerBinding binding(String name, Object bean, Class<?> type) {
    List<HandlerMethod> connect = new ArrayList<>();
    Map<String, HandlerMethod> events = new LinkedHashMap<>();
    List<HandlerMethod> disconnect = new ArrayList<>();
    for (Method method : MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<Boolean>) candidate ->
        candidate.isAnnotationPresent(OnConnect.class) || candidate.isAnnotationPresent(OnEvent.class)
            || candidate.isAnnotationPresent(OnDisconnect.class) ? Boolean.TRUE : null).keySet()) {
      HandlerMethod handler = new HandlerMethod(bean, AopUtils.selectInvocableMethod(method, bean.getClass()), mapper, validator,
          scope);
      if (method.isAnnotationPresent(OnConnect.class)) {
        connect.add(handler);
      }
      if (method.isAnnotationPresent(OnDisconnect.class)) {
        disconnect.add(handler);
      }
      OnEvent event = method.getAnnotation(OnEvent.class);
      if (event != null && events.putIfAbsent(event.value(), handler) != null) {
        throw new IllegalStateException("event \"" + event.value() + "\" has two handlers in " + name);
      }
    }
    return new ControllerBinding(name, List.copyOf(connect), Map.copyOf(events), List.copyOf(disconnect));
  }
}
